/*
 * Shared by the dashboard's pages: building DOM from untrusted data, and formatting values the
 * way the server does (io.tracestream.web.Formats), so a value reads alike before and after an update.
 *
 * Every value from an event is inserted as a text node or an attribute value, never parsed as
 * HTML: el() has no way to set innerHTML, on purpose.
 */
(function () {
  'use strict';

  const SVG_NS = 'http://www.w3.org/2000/svg';

  function build(element, attrs, children) {
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'text') element.textContent = String(value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      element.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return element;
  }

  /** An HTML element; string children become text nodes. */
  function el(tag, attrs, ...children) {
    return build(document.createElement(tag), attrs, children);
  }

  /** An SVG element, same rules. */
  function svg(tag, attrs, ...children) {
    return build(document.createElementNS(SVG_NS, tag), attrs, children);
  }

  const fmt = {
    duration(ms) {
      ms = Math.max(0, Math.round(ms));
      if (ms < 1000) return ms + ' ms';
      if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
      const s = Math.floor(ms / 1000);
      if (s < 3600) return Math.floor(s / 60) + ' m ' + String(s % 60).padStart(2, '0') + ' s';
      return Math.floor(s / 3600) + ' h ' + String(Math.floor((s % 3600) / 60)).padStart(2, '0') + ' m';
    },
    money(usd) {
      if (usd === null || usd === undefined) return 'unknown';
      if (usd === 0) return '$0';
      return '$' + (usd < 1 ? usd.toFixed(4) : usd.toFixed(2));
    },
    /** A usage's cost: exact ("~" when part of it is estimated from tokens), or a floor when some model has no price. */
    usageCost(u) {
      if (u.cost_usd !== null && u.cost_usd !== undefined) return (u.estimated_cost_usd > 0 ? '~' : '') + fmt.money(u.cost_usd);
      return !u.known_cost_usd ? 'unknown' : '≥ ' + fmt.money(u.known_cost_usd);
    },
    /** The tooltip of a cost that is partly estimated; null when the producer reported all of it. */
    costTitle(u) {
      return u.estimated_cost_usd > 0 ? 'estimated: ' + fmt.money(u.estimated_cost_usd)
        + ' of it from token counts and model prices, not reported by the agent' : null;
    },
    tokens(n) {
      return Number(n || 0).toLocaleString('en-US');
    },
    utc(iso) {
      return iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') + ' UTC' : '';
    },
    ago(iso, nowMs) {
      if (!iso) return '';
      const s = Math.max(0, Math.floor((nowMs - Date.parse(iso)) / 1000));
      if (s < 5) return 'just now';
      if (s < 60) return s + ' s ago';
      if (s < 3600) return Math.floor(s / 60) + ' min ago';
      if (s < 86400) return Math.floor(s / 3600) + ' h ago';
      return Math.floor(s / 86400) + ' d ago';
    },
    offset(iso, startIso) {
      if (!iso || !startIso) return '';
      const ms = Date.parse(iso) - Date.parse(startIso);
      return (ms < 0 ? '-' : '+') + (Math.abs(ms) / 1000).toFixed(3) + ' s';
    }
  };

  /** Where the application is deployed (it may not be the server root): from the page. */
  const base = document.body.dataset.base || '/';

  let sessionCheck = null;

  /**
   * Called when a stream fails: if the browser session is gone (it expired, which also ends its
   * streams, or the user signed out in another tab), go to the sign-in page, which brings the user
   * back here; the page then resumes where it was. A page read answers 401, or redirects to the
   * sign-in page, without a valid session; while the server needs no sign-in it answers 200 and
   * nothing happens. One check at a time: EventSource errors come at every retry.
   */
  function checkSession() {
    if (sessionCheck) return sessionCheck;
    sessionCheck = fetch(base + 'ui/list.json', { headers: { Accept: 'application/json' }, cache: 'no-store', redirect: 'manual' })
      .then(response => {
        if (response.status === 401 || response.type === 'opaqueredirect') {
          location.assign(base + 'ui/sign-in?next=' + encodeURIComponent(location.pathname + location.search));
        }
      })
      .catch(() => { /* the server is unreachable: the stream's own retries handle that */ })
      .finally(() => { sessionCheck = null; });
    return sessionCheck;
  }

  window.TS = { el, svg, fmt, base, checkSession };
})();
