"use client";

import { useEffect } from "react";

/** Facebook appends `#_=_` to its redirects; the browser keeps it through ours. Remove it. */
export function StripFacebookFragment() {
  useEffect(() => {
    if (window.location.hash === "#_=_") {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    }
  }, []);
  return null;
}
