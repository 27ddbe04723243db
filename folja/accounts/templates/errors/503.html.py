BBBB BBBB BBBBBBXXXXXXXXX XXXXX
XXXXX XXXXXXXXXX
XXXXXX
  XXXXX XXXXXXXXXXXXXXXX
  XXXXX XXXXXXXXXXXXXXX XXXXXXXXXXXXXXXXXXXXXXXXXXXX XXXXXXXXXXXXXXXXX
  XXXXXXX gettext(u'Tjänsten är tillfälligt otillgänglig')  X XXXXXXXXXXXXX
  XXXXX XXXXXXXXXXXXXXXX XXXXXXBBBBBB BBBBBBBBBBBBBBBBBXX
XXXXXXX
XXXXXX
  XXXXX XXXXXXXXXX
    XXXX gettext(u'Tjänsten är tillfälligt otillgänglig') XXXXX
    XXX gettext(u'Följa kan inte nå sin databas just nu. Ingenting du har skickat in har sparats till hälften: försök igen om en liten stund.') XXXX
  XXXXXXX
XXXXXXX
XXXXXXX
