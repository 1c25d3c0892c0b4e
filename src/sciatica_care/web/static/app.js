// sciatica-care: small enhancements only; every page works without JavaScript.
"use strict";
