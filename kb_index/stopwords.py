"""Stop words of the five supported languages, already folded as `kb_index.text` folds words."""

from __future__ import annotations

# Function words and question fillers ("how do I", "comment faire"): they carry no topic, and
# leaving them out keeps long posting lists out of every query. Written case- and accent-folded
# (Arabic: normalised), the form `kb_index.text.fold` gives.
_EN = """
a about above after again against all also am an and any are as at be because been before
being below between both but by can cannot could did do does doing done down during each few
for from further get gets getting got had has have having he her here hers herself him himself
his how i if in into is it its itself just let lets me more most my myself no nor not now of
off on once only or other our ours ourselves out over own please same she should so some such
than that the their theirs them themselves then there these they this those through to too
under until up very was we were what when where which while who whom why will with would you
your yours yourself yourselves im ive id dont doesnt didnt cant isnt wont hi hello thanks thank
anyone someone something way ok okay
"""
_FR = """
a afin ai aie aient aies ait alors as au aucun aucune aupres auquel aura aurai auraient aurais
aurait auras aurez auriez aurons auront aussi autre autres aux auxquelles auxquels avaient avais
avait avant avec avez aviez avions avoir avons ayant bonjour c ca ce ceci cela celle celles celui
cependant certain ces cet cette ceux chaque ci comme comment d dans de des donc dont du elle elles
en encore est et etaient etais etait etant ete etes etions etre eu eux faire fais fait faut ici il
ils j je jusqu l la laquelle le lequel les lesquelles lesquels leur leurs lui m ma mais me meme
merci mes moi mon n ne ni nos notre nous on ont ou par parce pas peut peux plus pour pourquoi
puis puisque qu quand que quel quelle quelles quels qui quoi s sa sans se ses seulement si sien
soi soit sommes son sont sous suis sur t ta te tes toi ton tous tout toute toutes tu un une vos
votre vous y svp
"""
_ES = """
a al algo alguna algunas alguno algunos ante antes aqui asi como con contra cual cuales cuando
de del desde donde dos el ella ellas ello ellos en entre era erais eramos eran eras eres es esa
esas ese eso esos esta estaba estado estais estamos estan estar estas este esto estos estoy fue
fueron fui ha habia han has hasta hay he hola la las le les lo los me mi mis mucho muy nada ni no
nos nosotros o os otra otro para pero poco por porque puede puedo que quien quienes se sea ser si
sin sobre son su sus tambien te tengo tiene tienen tu tus un una uno unos usted ustedes vosotros
y ya yo gracias favor hacer hago
"""
_PT = """
a ao aos aquela aquelas aquele aqueles aquilo as ate com como da das de dela delas dele deles
depois do dos e ela elas ele eles em entre era eram essa essas esse esses esta estao estas este
estes eu foi foram ha isso isto ja la lhe lhes mais mas me mesmo meu meus minha minhas muito na
nao nas nem no nos nossa nossas nosso nossos num numa o os ou para pela pelas pelo pelos por
porque posso pode qual quando que quem se sem ser seu seus so sua suas tambem te tem tenho teu
tua um uma voce voces vos ola obrigado obrigada favor fazer faco
"""
_AR = """
في من على الى عن مع هذا هذه ذلك تلك التي الذي الذين هو هي هم انا انت نحن كان كانت يكون لا لم
لن ما ماذا كيف متى اين لماذا هل او ثم قد كل بعد قبل عند حتى اذا لكن بين اي و ف ب ل ك يا
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOP_WORDS: dict[str, frozenset[str]] = {
    "en": _words(_EN),
    "fr": _words(_FR),
    "es": _words(_ES),
    "pt": _words(_PT),
    "ar": _words(_AR),
}
