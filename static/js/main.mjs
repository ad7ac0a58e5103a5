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
// styles, when <body> has this class. js/supported.js sets it before the first
// paint; setting it again here keeps this module working on its own.
document.body.classList.add('govuk-frontend-supported')

createAll(SkipLink)
createAll(ServiceNavigation)
createAll(Button)
createAll(ErrorSummary)
createAll(NotificationBanner)
createAll(Checkboxes)
createAll(Radios)
