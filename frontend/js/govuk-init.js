// Starts GOV.UK Frontend's components (the service navigation's menu button, error summaries,
// notification banners...). A module, as GOV.UK Frontend 5 is: browsers too old for modules
// skip it and the pages work without it.
import { initAll } from "../govuk-frontend/govuk-frontend.min.js";

initAll();
