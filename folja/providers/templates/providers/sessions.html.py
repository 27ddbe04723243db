BBBBBBB BBBBBBBBBBBBBBBBBBBBB BBBB
BBBBB BBBBB gettext(u'Pass') BBBBBBBB
BBBBB BBBBBBB
BBBBBBB BBBBBBBBBBBBBBBBBBBBBBBB
XXXX gettext(u'Pass') XXXXX
XXX gettext(u'Varje rapporterat pass kontrolleras mot beslutet. Avvikelser visas med en kod; tid som överskrider beviljad tid väntar på handläggarens beslut.') XXXX
BBBBBBB BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB BBBB BBBBBBBBBBBBBBBB
BBBBBBBB
