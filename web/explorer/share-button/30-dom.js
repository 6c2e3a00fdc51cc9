// SPDX-License-Identifier: GPL-3.0-or-later
// Small DOM and fetch helpers.
function el(tag, attrs, children) {
  var node = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (key) {
    var value = attrs[key];
    if (value === null || value === undefined || value === false) { return; }
    if (key === 'text') { node.textContent = value; } else { node.setAttribute(key, value === true ? '' : value); }
  });
  (children || []).forEach(function (child) {
    if (child !== null && child !== undefined) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
  });
  return node;
}

function byId(id) { return document.getElementById(id); }

function ensureStyle() {
  if (!byId('studyshare-style')) {
    var style = el('style', { id: 'studyshare-style' });
    style.textContent = STYLE;
    document.head.appendChild(style);
  }
}

function getJson(path) {
  return fetch(path, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(function (r) {
    if (!r.ok) { throw new Error('HTTP ' + r.status); }
    return r.json();
  });
}
