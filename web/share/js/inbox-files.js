// SPDX-License-Identifier: GPL-3.0-or-later
// What the recipient chose for the inbox: the files of the pickers and of a drop, each
// with its path inside the chosen folder (a dropped folder is walked through its
// entries). Nothing is skipped here: the server tells DICOM from the rest.

// One file to send: the File and the name sent in X-File-Name (its relative path).
function item(file, path) {
  return { file: file, name: path || file.webkitRelativePath || file.name };
}

export function fromInput(input) {
  return Array.prototype.map.call(input.files || [], function (f) { return item(f, ''); });
}

function readAll(reader) {
  // A directory reader answers in chunks until it answers an empty one.
  return new Promise(function (resolve) {
    var out = [];
    (function next() {
      reader.readEntries(function (entries) {
        if (!entries.length) return resolve(out);
        out = out.concat(entries);
        next();
      }, function () { resolve(out); });
    })();
  });
}

function walk(entry, prefix) {
  if (entry.isFile) {
    return new Promise(function (resolve) {
      entry.file(function (f) { resolve([item(f, prefix + f.name)]); }, function () { resolve([]); });
    });
  }
  if (!entry.isDirectory) return Promise.resolve([]);
  return readAll(entry.createReader()).then(function (entries) {
    return Promise.all(entries.map(function (e) { return walk(e, prefix + entry.name + '/'); }));
  }).then(function (lists) { return [].concat.apply([], lists); });
}

// The items of a drop: folders walked when the browser offers entries, else its files.
export function fromDrop(dataTransfer) {
  var entries = Array.prototype.map.call(dataTransfer.items || [], function (it) {
    return it.kind === 'file' && it.webkitGetAsEntry ? it.webkitGetAsEntry() : null;
  }).filter(Boolean);
  if (!entries.length) return Promise.resolve(fromInput(dataTransfer));
  return Promise.all(entries.map(function (e) { return walk(e, ''); }))
    .then(function (lists) { return [].concat.apply([], lists); });
}

export function contentType(name) {
  return /\.zip$/i.test(name) ? 'application/zip' : 'application/dicom';
}
