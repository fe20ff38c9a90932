"""What a page's layout does to its text, measured in the browser (scripts for Playwright's `evaluate`).

Shared by the browser tests of the all-claims table and of every page kind on a phone.
"""
from __future__ import annotations

# Words of ordinary text split across lines, in the text under `root`. Ordinary text is what lies between
# spaces and hyphens when it is words joined at most by a dot, an apostrophe or an underscore ("claims.json",
# "claimed_on"), with punctuation around it; an address, code or a formula (with "/", "=", "<"...) may break
# anywhere. A word is a run of letters and digits: a line may break between two ("claims." / "json"), never
# inside one, as the squeezed tables did ("Huma n Right s Watc h", "claima nt"). A string wider than half
# of `root` may break anywhere: no column of a table could hold it whole without squeezing the others.
BROKEN_WORDS = """root => {
  const broken = [], room = root.clientWidth / 2, canvas = document.createElement('canvas').getContext('2d');
  const ordinary = /^[\\p{P}\\p{S}]*[\\p{L}\\p{M}\\p{N}]+(?:[.'\u2019_][\\p{L}\\p{M}\\p{N}]+)*[\\p{P}\\p{S}]*$/u;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const lines = (node, start, end) => {
    const range = document.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom))).size;
  };
  for (let node; (node = walker.nextNode());) {
    const style = getComputedStyle(node.parentElement);
    canvas.font = `${style.fontStyle} ${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    for (const token of node.data.matchAll(/[^\\s\\-]+/g)) {
      if (!ordinary.test(token[0]) || canvas.measureText(token[0]).width >= room) continue;
      for (const word of token[0].matchAll(/[\\p{L}\\p{M}\\p{N}]+/gu)) {
        const start = token.index + word.index;
        if (lines(node, start, start + word[0].length) > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
}"""

# Elements whose content is wider than they are, so that it is cut or scrolls sideways.
OVERFLOWING = """root => [...root.querySelectorAll('*')].filter(e => e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1)
  .map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '>' + e.clientWidth)"""
