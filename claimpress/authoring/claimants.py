"""Whether the author a fact-check names for a claim is a party, or only a description of where the
claim went round ("multiple sources", "FB User-Harshit Pandey", "Boatos de redes sociais",
"Social media users"). Fact-checkers fill ClaimReview's `author` and the Fact Check Tools API's
`claimant` with such descriptions as often as with names; registered as parties, they fill
parties.yml with parties no claim can be attributed to. The importer records them in the draft
instead (the fact-check's evidence note), and leaves the claimant for an editor to choose.

A heuristic, erring towards "not a party": a party missed is added by hand from the note, a
description registered is a party that should not exist.
"""
from __future__ import annotations

import unicodedata

from ..check.suggest import slug

# Words (of a name's slug: lower case, accents dropped) that describe posts, users or sources rather
# than name anyone: English, Spanish, Portuguese, French and German, the languages of most
# fact-checkers' ClaimReview. Singular forms that are also names ("Post", "Source") are left out.
_WORDS = frozenset("""
    user users netizen netizens internauta internautas internaute internautes usuario usuarios usuaria
    usuarias utilisateur utilisateurs nutzer nutzerinnen posts tweets publicaciones publicacoes beitrage
    sources fontes fuentes quellen viral virales virais rumor rumors rumour rumours rumores rumeur rumeurs
    boato boatos geruchte bloggers blogs websites accounts cuentas contas comptes messages mensajes mensagens
    multiple various several varios varias diversos diversas multiplos multiplas multiples plusieurs
    mehrere unknown unidentified desconocido desconhecido inconnu unbekannt
    facebook fb twitter instagram tiktok whatsapp telegram youtube reddit weibo wechat kwai snapchat vk
""".split())
_PHRASES = ("social-media", "social-network", "social-networks", "social-networking", "redes-sociais",
            "redes-sociales", "reseaux-sociaux", "soziale-medien", "sozialen-medien", "soziale-netzwerke",
            "sozialen-netzwerken")
# The same in other scripts, found as parts of the name: social media, users, posts, accounts and
# channels, the platforms' names, in Arabic, Persian, Urdu, Hindi, Russian and Chinese.
_PARTS = (
    "مواقع التواصل", "وسائل التواصل", "مستخدم", "منشورات", "حسابات", "مصادر متعددة", "فيسبوك", "فيس بوك", "تويتر",
    "واتساب", "تلغرام", "تيليجرام", "تليجرام", "يوتيوب", "تيك توك", "انستغرام", "إنستغرام",
    "کاربران", "شبکه‌های اجتماعی", "شبکه های اجتماعی", "فضای مجازی", "کانال‌های", "کانال های", "تلگرام",
    "اینستاگرام", "توییتر", "فیسبوک", "سوشل میڈیا", "صارفین", "فیس بک",
    "सोशल मीडिया", "यूजर", "यूज़र", "फेसबुक", "व्हाट्सएप", "ट्विटर",
    "соцсет", "социальных сет", "пользовател", "телеграм",
    "网友", "網友", "社交媒体", "社群媒體", "网传", "網傳", "微博", "微信", "脸书", "臉書",
)


def is_description(name: str) -> bool:
    """Whether a claim author's name (clean text) describes posts, users or sources rather than
    naming a party."""
    words = slug(name)
    if any(word in _WORDS for word in words.split("-")):
        return True
    if any(phrase in f"-{words}-" for phrase in (f"-{p}-" for p in _PHRASES)):
        return True
    text = unicodedata.normalize("NFC", name).casefold()
    return any(part in text for part in _PARTS)
