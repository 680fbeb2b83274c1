"""Closed-class words (articles, pronouns, prepositions, auxiliaries...) and accents per language.

Written without accents and in lower case, as `detect.words_of` compares them. Glued forms are
listed too because users drop apostrophes ("jai", "cest", "cant"). A word in several lists counts
for each of them a little; only the words of one language decide.
"""

from __future__ import annotations

_EN = """
a an the and or but if so than then of to in on at for with from by about into over under as
is are was were be been being am do does did done doing have has had having will would can could
should shall may might must not no yes i me my mine you your yours we our us they them their he
she his her him it its this that these those there here what which who whom whose where when why
how please pls plz thanks thank thx hi hello hey dont doesnt didnt cant cannot couldnt wont
wouldnt shouldnt isnt arent wasnt werent havent hasnt im ive id ill youre theyre theres whats
hows any some all every each still again just also too very only after before while without
because since until anymore anyone someone something nothing anything t s ll ve re m
"""

_FR = """
le la les l un une des du de d au aux et ou mais donc ni car ne n pas plus point jamais rien
personne je j tu il elle on nous vous ils elles me m te t se s moi toi lui leur leurs mon ma mes
ton ta tes son sa ses notre nos votre vos ce c cet cette ces ca cela ceci celui celle ceux qui
que qu quoi quel quelle quels quelles comment pourquoi quand combien est sont suis es etes sommes
etait etaient ete etre ai as a avons avez ont avoir avais avait fait faire fais peux peut pouvez
peuvent pouvons veux veut voudrais dois doit faut y en dans sur sous avec sans pour par chez vers
depuis pendant entre aussi tres trop bien deja encore toujours merci svp stp sil plait bonjour
bonsoir salut oui jai cest nest sest quil quon dun dune jen jy ya quest aucun aucune tout tous
toute toutes meme autre
"""

_ES = """
el la los las lo un una unos unas de del al y e o u pero ni no si sino mas yo tu usted ustedes
nosotros nosotras ellos ellas me mi mis te tus su sus nuestro nuestra nuestros le les se este
esta esto estos estas ese esa eso esos esas aquel aqui ahi alli que quien quienes cual cuales
donde adonde como cuando cuanto cuanta por para porque con sin sobre entre hasta desde hacia en
es son soy eres somos era eran fue ser estar esta estan estoy estaba estaban hay habia he ha han
hemos tengo tiene tienen tenemos puedo puede pueden podemos quiero quiere necesito necesita hago
hace hacer ya todavia aun nunca siempre tambien tampoco muy mucho muchos poco gracias favor porfa
hola buenos buenas dias tardes noches pues ningun ninguno ninguna algo nada todo todos otra otro
"""

_PT = """
o a os as um uma uns umas de do da dos das ao aos e ou mas nem nao sim mais eu tu voce voces ele
ela eles elas nos vos me meu minha meus minhas te teu tua seu sua seus suas lhe lhes se este esta
estes estas esse essa esses essas isso isto aquilo aqui ali la que quem qual quais onde como
quando quanto por para porque com sem sobre entre ate desde em no na nos nas num numa pelo pela
pelos pelas sao sou estou estao estava estavam ser estar ha tenho tem temos tinha posso pode
podem podemos consigo quero quer preciso precisa faz fazer fiz ja ainda nunca sempre tambem muito
muitos pouco obrigado obrigada favor ola bom boa dia tarde noite nenhum nenhuma algum alguma nada
tudo todos outra outro
"""


def _words(block: str) -> frozenset[str]:
    return frozenset(block.split())


FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(_EN),
    "fr": _words(_FR),
    "es": _words(_ES),
    "pt": _words(_PT),
}

# Technical words that field users write the same way in every language: no evidence either way.
LOANWORDS = _words(
    """
    login logout offline online sync app apps email mail excel csv pdf primero ok wifi internet
    web url sms android ios chrome firefox
    """
)

# Letters that only some of the Latin-script languages write (when users do type accents).
ACCENT_HINTS: dict[str, tuple[str, ...]] = {
    "ã": ("pt",),
    "õ": ("pt",),
    "ñ": ("es",),
    "¿": ("es",),
    "¡": ("es",),
    "ç": ("fr", "pt"),
    "è": ("fr",),
    "ê": ("fr", "pt"),
    "ë": ("fr",),
    "î": ("fr",),
    "ï": ("fr",),
    "ù": ("fr",),
    "û": ("fr",),
    "œ": ("fr",),
    "à": ("fr", "pt"),
    "â": ("fr", "pt"),
    "ô": ("fr", "pt"),
    "á": ("es", "pt"),
    "í": ("es", "pt"),
    "ó": ("es", "pt"),
    "ú": ("es", "pt"),
    "é": ("fr", "es", "pt"),
}
