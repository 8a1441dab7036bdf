/**
 * The embeddable emergency button: `<emergency-station-button>`, for any site or cash-register web
 * app. One script tag and one element:
 *
 *   <script type="module" src="https://station.example/embed.js"></script>
 *   <emergency-station-button origin="0xYourProjectOrMerchantAddress" kind="RedemptionToolFailure">
 *   </emergency-station-button>
 *
 * A press opens the station's emergency form in a new tab with the kind of trouble and the origin
 * (the project or merchant the help is asked from) preselected; the claim records the origin in
 * its opening statement. The station is the origin this script was loaded from, unless the
 * element's `station` attribute names another. The button lives in a shadow root, so the host
 * page's styles neither break it nor are touched by it; it reads nothing from the host page.
 */

const KINDS = ["MissingReward", "DataApiOutage", "RedemptionToolFailure", "Other"] as const;
const LABELS: Record<string, string> = {
  en: "Get emergency help",
  id: "Minta bantuan darurat",
  es: "Pedir ayuda de emergencia",
  zh: "紧急求助",
};
const SCRIPT_ORIGIN = new URL(import.meta.url).origin;

/** The station page's emergency form for these attributes (unknown kinds fall back to Other). */
export function emergencyUrl(
  station: string,
  attrs: { origin?: string | null; kind?: string | null; lang?: string | null },
) {
  const url = new URL("/", station);
  const kind = KINDS.find((k) => k === attrs.kind) ?? "Other";
  url.searchParams.set("kind", kind);
  if (attrs.origin && /^0x[0-9a-fA-F]{40}$/.test(attrs.origin)) url.searchParams.set("origin", attrs.origin);
  if (attrs.lang && attrs.lang in LABELS) url.searchParams.set("lang", attrs.lang);
  url.hash = "emergency";
  return url.toString();
}

class EmergencyStationButton extends HTMLElement {
  static observedAttributes = ["lang", "label"];
  #button: HTMLButtonElement;

  constructor() {
    super();
    const root = this.attachShadow({ mode: "open" });
    const style = document.createElement("style");
    style.textContent = `:host{display:inline-block}
button{font:600 1rem/1.2 system-ui,sans-serif;color:#fff;background:#c62828;border:0;border-radius:999px;
padding:.75rem 1.25rem;min-height:44px;cursor:pointer;box-shadow:0 2px 6px rgba(0,0,0,.25)}
button:hover{background:#b71c1c}button:focus-visible{outline:3px solid #ffb300;outline-offset:2px}`;
    this.#button = document.createElement("button");
    this.#button.type = "button";
    this.#button.part.add("button");
    this.#button.addEventListener("click", () => this.open());
    root.append(style, this.#button);
    this.#render();
  }

  attributeChangedCallback() {
    this.#render();
  }

  /** The form this button opens. */
  get href(): string {
    const station = this.getAttribute("station") ?? SCRIPT_ORIGIN;
    return emergencyUrl(station, {
      origin: this.getAttribute("origin"),
      kind: this.getAttribute("kind"),
      lang: this.getAttribute("lang"),
    });
  }

  open() {
    window.open(this.href, "_blank", "noopener");
  }

  #render() {
    const lang = this.getAttribute("lang") ?? "en";
    this.#button.textContent = this.getAttribute("label") ?? LABELS[lang] ?? LABELS.en!;
  }
}

if (!customElements.get("emergency-station-button")) {
  customElements.define("emergency-station-button", EmergencyStationButton);
}
