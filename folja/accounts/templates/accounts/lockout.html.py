BBBBBBB BBBBBBBBBBBBBBBBBBBBB BBBB
BBBBB BBBBB gettext(u'Inloggningen är spärrad') BBBBBBBB
BBBBB BBBBBBB
XXXX gettext(u'Inloggningen är spärrad') XXXXX
XX XXXXXXXXXXXXX ngettext(u'Du har angett fel lösenord för många gånger (%(limit)s försök).', u'Du har angett fel lösenord för många gånger (%(limit)s försök).', count) SS SSS SSSSSS SSS SSSSSSSS SSS SSSSS SSSSSS SSSSSSSSSS SSSSSSSSPP PPP PPPPPP PPP PPPPPPPP PPP PPPPP PPPPPP PPPPPPPPPP PPPPPPPP
 gettext(u'Av säkerhetsskäl är inloggningen spärrad i 15 minuter. Försök igen senare, eller kontakta din systemadministratör om du har glömt lösenordet.') XXXX
BBBBBBBB
