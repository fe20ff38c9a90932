"""The language a text's script tells (authoring/script.py), and the readable ids of titles in other
scripts than Latin (authoring/ids.py, the one rule for new and import-claimreview)."""
from __future__ import annotations

import pytest

from claimpress.authoring.ids import claim_id, readable
from claimpress.authoring.script import detect


@pytest.mark.parametrize("text, tag", [
    ("فيديو يظهر قصف مستشفى في المدينة", "ar"),
    ("کانپور کے ہیلٹ اسپتال میں مریض کی پٹائی", "ur"),
    ("عکس حمله به یک مدرسه در شهر", "fa"),
    ("ویدیو اصلی نیست", "fa"),
    ("ويډيو د ښار روغتون ښيي", None),  # Pashto: ډ and ښ are neither Arabic's, Persian's nor Urdu's
    ("Фото показує зруйнований міст", "uk"),
    ("Фото показывает разрушенный мост", "ru"),
    ("Снимката показва разрушен мост", None),  # Bulgarian, or Russian with no ы э ё: not guessed
    ("Фота паказвае разбураны мост і ўсё", None),  # Belarusian: і and ы, and ў
    ("התמונה מציגה גשר הרוס", "he"),
    ("Η φωτογραφία δείχνει κατεστραμμένη γέφυρα", "el"),
    ("यह तस्वीर टूटे हुए पुल की है", "hi"),
    ("ছবিটি একটি ভাঙা সেতুর", "bn"),
    ("ภาพนี้แสดงสะพานที่ถูกทำลาย", "th"),
    ("ფოტოზე დანგრეული ხიდია", "ka"),
    ("Լուսանկարում ավերված կամուրջ է", "hy"),
    ("照片显示一座被毁的桥", "zh"),
    ("写真は破壊された橋を示している", "ja"),
    ("사진은 파괴된 다리를 보여준다", "ko"),
    ("A photo shows a destroyed bridge", None),
    ("Una foto muestra un puente destruido", None),
    ("COVID-19: صورة تظهر مستشفى في المدينة", "ar"),  # most letters decide
    ("1234 !!", None),
])
def test_script_detection(text: str, tag: str | None) -> None:
    assert detect(text)[0] == tag


def test_ids_of_other_scripts_are_transliterated_and_latin_ones_unchanged() -> None:
    assert readable("Quem lacra não lucra") == "quem-lacra-nao-lucra"  # as before: accents dropped
    assert readable("照片显示一座被毁的桥") == "zhao-pian-xian-shi-yi-zuo-bei-hui-de-qiao"  # a syllable a character
    assert claim_id("Відео показує удар", "2022", set(), "x") == "video-pokazuie-udar-2022"
    assert claim_id("Відео показує удар", "2022", {"video-pokazuie-udar-2022"}, "x") == "video-pokazuie-udar-2022-2"
    assert claim_id("لا", "2023", set(), "misbar-2023-10-16") == "misbar-2023-10-16"  # the year not twice
    assert claim_id("?", "2023", set(), "claim") == "claim-2023"  # new's fallback, as before
    assert claim_id("No 5", "2023", set(), "claim") == "no-5-2023"  # a Latin title keeps its words however few
