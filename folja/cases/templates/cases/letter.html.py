BBBB BBBB BBBBBBXXXXXXXXX XXXXX
XXXXX XXXXXXXXXX
XXXXXX
XXXXX XXXXXXXXXXXXXXXX
XXXXXXX gettext(u'Beslut om ledsagning')  X XXXXXXXX
XXXXX XXXXXXXXXXXXXXXX XXXXXXBBBBBB BBBBBBBBBBBBBBBBBBXX
XXXXXXX
XXXXX XXXXXXXXXXXXXXX
XXXX XXXXXXXXXXXXXXX
  XXXXXXXXXXXXXXXXXXXXXXXXXXXX
  XXX gettext(u'Datum') X FFFFFFF F FFXXXX gettext(u'Beslutsnummer') X XXXX
XXXXXX
XXX gettext(u'Till') X XXXX gettext(u'Personnummer') X XXXX

XXXXBB BBBBBBBBBBBBBBBBBBBBBBBB BB BBBBB gettext(u'Beslut om ledsagarservice') BBBB gettext(u'Beslut om ledsagning') BBBBBXXXXX

BB BBBBBBBBBBBBBBBB BB BBBBBBBBB
XX XXXXXXXXXXXXXXX gettext(u'Du får det du har ansökt om.') XXXX
BBBB BBBBBBBBBBBBBBBB BB BBBBBBBBBBBBBBBBB
XX XXXXXXXXXXXXXXX gettext(u'Du får en del av det du har ansökt om. En del får du inte.') XXXX
BBBB
XX XXXXXXXXXXXXXXX gettext(u'Du får inte det du har ansökt om.') XXXX
BBBBB

BB BBBBBBBBBBBBBBBB BB BBBBBBBBBB
XXXX gettext(u'Det här får du') XXXXX
XXXXXXX
  XXXXXXX XXXXXXXXXXXX gettext(u'Timmar per månad') XXXXXXXXXFFFFFFFFFFFFFFFF  gettext(u'timmar') XXXXXXXXXX
  XXXXXXX XXXXXXXXXXXX gettext(u'Gäller från') XXXXXXXXXFFFFFFF F FFXXXXXXXXXX
  XXXXXXX XXXXXXXXXXXX gettext(u'Gäller till och med') XXXXXXXXXFFFFFFF F FFXXXXXXXXXX
  XXXXXXX XXXXXXXXXXXX gettext(u'Två ledsagare samtidigt') XXXXXXXXXBB BBBBBBBBBBBBBBBBBBBBBBBB gettext(u'Ja') BBBB gettext(u'Nej') BBBBBXXXXXXXXXX
  XXXXXXX XXXXXXXXXXXX gettext(u'Lag') XXXXXXXXX X XXXXXXXXXX
XXXXXXXX
BB BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB BBB BBBBBBBBBBBBBBBBBBBBBBBB B BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB
XXX gettext(u'Du ansökte om %(asked)s timmar per månad. Du får %(got)s timmar per månad.') SS SSSSSSS SS SSSSSSSSS SSSSSS SSS SSSSSS SS SSS SSSSSSS SSSSSS SSS SSSSSSXXXX
BBBBB
BBBBB

BB BBBBBBBBBBBBBBBB
XXXX gettext(u'Varför vi har beslutat så här') XXXXX
XXXFFFFFFFFFFFFXXXX
BBBBB

BB BBBBBBBBBBBBBB
XXXX gettext(u'Det här får du inte, och varför') XXXXX
XXXX
BBB BBBB BB BBBBBBBBBBBBBBXXXXXXXXXXXXXXXXXXXXXX XXXXXBBBBBB
XXXXX
BBBBB

BB BBBBBBBBBBBBBBBB BB BBBBBBBBBB
XXXX gettext(u'Så fungerar dina timmar') XXXXX
BB BBBBBBBBBBBBBB BB BBBBBBB
XXX gettext(u'Du kan använda dina timmar fritt under tre månader i taget. Du kan till exempel använda färre timmar en månad och fler en annan månad.') XXXX
XXX gettext(u'Timmar som du inte har använt när en tremånadersperiod tar slut går inte att spara. Då börjar en ny period med nya timmar.') XXXX
BBBB BBBBBBBBBBBBBB BB BBBBBB
XXX gettext(u'Du har fri ledsagning. Antalet timmar i beslutet är en planering, inte ett tak. Du kan använda ledsagning när du behöver det.') XXXX
XXX gettext(u'Om du använder mycket mer tid än planerat kontaktar din handläggare dig för att prata om hur det fungerar.') XXXX
BBBB
XXX gettext(u'Timmarna gäller för en kalendermånad i taget. Timmar som du inte använder under månaden går inte att spara till nästa månad.') XXXX
BBBBB

XXXX gettext(u'Pengar till ledsagarens kostnader') XXXXX
XXX gettext(u'Du får omkostnadsersättning med %(amount)s kronor per månad. Pengarna är till ledsagarens kostnader när ni gör något tillsammans, till exempel entré eller biljett.') SS SSS SSSSSSSSSSSSSSSSSSSS SSS SSSSSSSSSS SSSSSS SSS SSSSSS SSSSSSSS SS SSSS SSSSSSSSSSS SSSSSSSSS SSS SS SSS SSSSS SSSSSSSSSSSS SSSS SSSSSSS SSSSS SSSSS SSSSSSSSBB BBBBBBBBBBBBBBBBBBBB  gettext(u'(Beloppet är ett exempelvärde i riktlinjerna.)') BBBBBXXXX
BB BBBBBBBBBBBBBB BB BBBBBBB
XXX gettext(u'Pengarna räknas på samma sätt som timmarna: du kan använda dem under hela tremånadersperioden.') XXXX
BBBBB
XXX gettext(u'Om en aktivitet kostar mer kan du ansöka om pengar för en mer kostsam aktivitet.') XXXX
BBBBB

XXXX gettext(u'Om du inte är nöjd med beslutet') XXXXX
XXX gettext(u'Du kan överklaga beslutet. Skriv ett brev till oss. Skriv vilket beslut du överklagar och varför du tycker att det ska ändras. Du kan få hjälp av din handläggare att skriva.') XXXX
XX XXXXXXXXXXXXXXXXX gettext(u'Vi måste ha fått ditt överklagande senast den %(deadline)s.') SS SSSSS SS SSSS SSSS SSSSSSSSSSSS SSSSSS SSS SSSSSSSSSSSSSXXXX
XXX gettext(u'Först ser vi över om vi kan ändra beslutet. Om vi inte ändrar det skickar vi ditt överklagande till förvaltningsrätten, som bestämmer.') XXXX

XXXX XXXXXXXXXXXXXXXX
XXXX gettext(u'Har du frågor?') XXXXX
XXX gettext(u'Kontakta din handläggare') X FFFFFFFFFFFFFFFFFFFFFFFFFFFXXXX
BB BBBBBBBBBBBBBBBB gettext(u'Telefon') X XXXXBBBBB
BB BBBBBBBBBBBBBBBB gettext(u'E-post') X XXXXBBBBB
X XXXX
XXXXXX
XXXXXXX
XXXXXXX
