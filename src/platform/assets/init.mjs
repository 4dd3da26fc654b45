// Progressive enhancement only: every page works without this file.
import { initAll as initGovuk } from '/assets/js/govuk/govuk-frontend.min.js';
import { initAll as initMoj } from '/assets/js/moj/moj-frontend.min.js';

initGovuk();
initMoj();
