// Calf Rehab Tracker: progressive enhancements only; every page works without JavaScript.
"use strict";
