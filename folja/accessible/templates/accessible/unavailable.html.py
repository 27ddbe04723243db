BBBBBBB BBBBBBBBBBBBBBBBBBBBB BBBB
BBBBB BBBBB gettext(u'Formatet går inte att göra just nu') BBBBBBBB
BBBBB BBBBBBB
XXXX gettext(u'Formatet går inte att göra just nu') XXXXX
XXX gettext(u'Något är fel i systemet, inte hos dig. Försök igen senare eller välj ett annat format.') XXXX
XXXXX XXXXXXBBB BBBBBBBBBBBBBBBBBBXX gettext(u'Till informationen') XXXXXXXX
BBBBBBBB
