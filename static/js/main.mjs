// Progressive enhancement for the Medway SEND Strategy site.
// Loaded as <script type="module" src="…/js/main.js"> at the end of <body>,
// so browsers without ES module support (and users without JS) get the plain,
// fully working HTML.
import {
  Button,
  Checkboxes,
  createAll,
  ErrorSummary,
  NotificationBanner,
  Radios,
  ServiceNavigation,
  SkipLink
} from 'govuk-frontend'

// GOV.UK Frontend (v5+) only initialises, and only applies its JS-dependent
// styles, when <body> has this class. It is normally set by an inline script,
// which our Content Security Policy forbids, so set it here.
document.body.classList.add('govuk-frontend-supported')

createAll(SkipLink)
createAll(ServiceNavigation)
createAll(Button)
createAll(ErrorSummary)
createAll(NotificationBanner)
createAll(Checkboxes)
createAll(Radios)
