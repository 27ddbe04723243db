BBBBBBB BBBBBBBBBBBBBBBBBBBBB BBBB
BBBBB BBBBB gettext(u'Start') BBBBBBBB
BBBBB BBBBBBB
XXXX gettext(u'Välkommen till Följa') XXXXX
XXX gettext(u'Följa samlar ledsagning och ledsagarservice – från ansökan till beslut, beställning, utförande, ersättning och uppföljning.') XXXX
BBBBBBBB
