// What runs off the viewport (outside the regions meant to pan), what spills out of a table
// cell or badge, which two pieces of text are drawn over each other, and which text is drawn
// smaller than minLabel CSS px. Run in the page by tests/browser.py.
(minLabel) => {
  const W = document.documentElement.clientWidth;
  const PAN = '.pan, .diagram';
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
    + (typeof e.className === 'string' && e.className ? '.' + e.className.split(' ').join('.') : '');
  const hidden = e => {
    for (let a = e; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.display === 'none' || s.visibility === 'hidden' || s.clipPath !== 'none') return true;
    }
    return false;
  };
  const overflow = [];
  if (document.documentElement.scrollWidth > W) overflow.push('page ' + document.documentElement.scrollWidth);
  for (const e of document.querySelectorAll('body *')) {
    const pan = e.closest(PAN);
    if (pan && pan !== e) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && (r.right > W + 0.5 || r.left < -0.5) && !hidden(e)) overflow.push(name(e) + ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
  for (const c of document.querySelectorAll('td, th, .card, .sev')) {
    if (!hidden(c) && c.scrollWidth > c.clientWidth + 1) overflow.push('inside ' + name(c) + ': ' + c.textContent.trim().slice(0, 40));
  }
  const boxes = [], small = [];
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let n, k = 0;
  while ((n = walk.nextNode())) {
    const el = n.parentElement, text = n.textContent.trim();
    if (!text || el.closest('title, style') || hidden(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    let size = parseFloat(getComputedStyle(el).fontSize);
    if (el instanceof SVGElement) size *= el.getScreenCTM().a;
    if (size < minLabel - 0.01) small.push([text.slice(0, 30), Math.round(size * 10) / 10]);
    k += 1;
    for (const r of range.getClientRects()) {
      if (r.width > 0.5 && r.height > 0.5) boxes.push([text.slice(0, 30), r.left, r.top, r.right, r.bottom, k]);
    }
  }
  boxes.sort((a, b) => a[2] - b[2]);
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j][2] < a[4] - 0.5; j++) {
      const b = boxes[j];
      if (a[5] !== b[5] && a[1] < b[3] - 0.5 && b[1] < a[3] - 0.5 && a[2] < b[4] - 0.5)
        overlaps.push([a[0], b[0]]);
    }
  }
  return {overflow: overflow.slice(0, 20), overlaps: overlaps.slice(0, 20), small: small.slice(0, 20), texts: k};
}
