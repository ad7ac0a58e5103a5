// Gives each rich-text editor the name of its field, so screen readers announce
// "Introduction, edit text" rather than an unnamed text box. The editor builds
// its editable area after the page loads, so watch for it appearing.
(function () {
  function nameEditors(root) {
    root.querySelectorAll('.ProseMirror[role="textbox"]:not([aria-labelledby])').forEach(function (editor) {
      var row = editor.closest('.form-row, .fieldBox, div[class*="field-"]')
      var label = row && row.querySelector('label')
      if (!label) return
      if (!label.id) label.id = (label.htmlFor || 'editor') + '-label'
      editor.setAttribute('aria-labelledby', label.id)
      editor.setAttribute('aria-multiline', 'true')
    })
  }
  function start() {
    nameEditors(document)
    new MutationObserver(function () { nameEditors(document) })
      .observe(document.body, { childList: true, subtree: true })
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start)
  } else {
    start()
  }
})()
