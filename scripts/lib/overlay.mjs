// OpenAPI Overlay 1.0 (https://spec.openapis.org/overlay/v1.0.0): applies an overlay document's
// actions, in order, to a parsed OpenAPI document. Targets are RFC 9535 JSONPath expressions,
// evaluated with jsonpath-rfc9535 (passes the JSONPath compliance test suite). The applier itself is
// ours: the npm overlay tools we tried (openapi-format 1.33.6, openapi-overlays-js 0.2.0) append
// nested arrays instead of replacing them (`tags: [a]` updated with `[b]` gives `[a, b]`,
// `required` gets duplicates), and neither appends an `update` to a targeted array under
// `overlay: 1.0.0` (CONTRIBUTING.md, "Overlays"). Semantics, from the 1.0.0 text:
//   - `remove: true`   every selected node is removed from the object or array that contains it
//   - `update`         a selected object: the update's properties are merged recursively (objects
//                      into objects); any other value, arrays included, replaces the property
//                      ("only the complete array can be replaced"); a selected array: the update is
//                      appended as one entry
//   - an `update` target must select objects or arrays, never primitives or null; a `remove` target may
//     also select primitives (`deprecated: false`): 1.0.0 gives no other way to delete a primitive
//     property, and 1.1.0 allows it
// Overlays in this repo never merge an array into an existing array, nor an array into a primitive
// (they remove it first): 1.1.0 concatenates such arrays where 1.0.0 replaces them, so our overlays mean
// the same under both (scripts/test/overlay.test.ts checks it).
// An action whose target selects nothing is reported (`unmatched`), not silently skipped.
import { exec } from "jsonpath-rfc9535";

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
const clone = (value) => structuredClone(value);

export class OverlayError extends Error {}

/** A short label for an action in messages: its index, target and the start of its description. */
export function actionLabel(action, index) {
  const reason = typeof action?.description === "string" ? action.description.split("\n")[0] : "";
  const short = reason.length > 70 ? `${reason.slice(0, 67)}…` : reason;
  return `action #${index + 1} (${action?.target})${short ? ` "${short}"` : ""}`;
}

/** Checks an overlay document's shape (Overlay 1.0.x); throws an OverlayError naming what is wrong. */
export function validateOverlay(overlay) {
  if (!isObject(overlay)) throw new OverlayError("an overlay must be a YAML/JSON object");
  if (typeof overlay.overlay !== "string" || !/^1\.0\.\d+$/.test(overlay.overlay)) {
    throw new OverlayError(`unsupported overlay version ${JSON.stringify(overlay.overlay)} (expected 1.0.x)`);
  }
  if (!isObject(overlay.info) || typeof overlay.info.title !== "string" || typeof overlay.info.version !== "string") {
    throw new OverlayError("an overlay needs info.title and info.version");
  }
  if (!Array.isArray(overlay.actions) || overlay.actions.length === 0) {
    throw new OverlayError("an overlay needs at least one action");
  }
  overlay.actions.forEach((action, i) => {
    const label = `action #${i + 1}`;
    if (!isObject(action)) throw new OverlayError(`${label} is not an object`);
    if (typeof action.target !== "string" || !action.target.startsWith("$")) {
      throw new OverlayError(`${label}: target must be a JSONPath expression starting with "$"`);
    }
    if ("remove" in action && typeof action.remove !== "boolean") {
      throw new OverlayError(`${label}: remove must be a boolean`);
    }
    if (action.remove !== true && !("update" in action)) {
      throw new OverlayError(`${label}: needs update or remove: true`);
    }
    for (const key of Object.keys(action)) {
      if (!["target", "description", "update", "remove"].includes(key) && !key.startsWith("x-")) {
        throw new OverlayError(`${label}: unknown field ${key}`);
      }
    }
  });
}

/** Recursive merge of an update object into a target object (in place). */
function merge(target, update) {
  for (const [key, value] of Object.entries(update)) {
    if (isObject(value) && isObject(target[key])) merge(target[key], value);
    else target[key] = clone(value);
  }
}

/** The selected nodes: [{ segments, value }], segments from the root ([] for `$`). */
function select(doc, target) {
  const nodes = [];
  try {
    exec(doc, target, (value, segments) => nodes.push({ segments: [...segments], value }));
  } catch (error) {
    throw new OverlayError(`invalid JSONPath ${target}: ${error.message}`);
  }
  return nodes;
}

const parentOf = (doc, segments) => segments.slice(0, -1).reduce((node, key) => node[key], doc);

/**
 * Applies `overlay` to a copy of `doc`.
 * @returns {{ doc: object, unmatched: { index: number, action: object, label: string }[] }}
 *   the result, and the actions whose target selected nothing (they changed nothing).
 */
export function applyOverlay(doc, overlay) {
  validateOverlay(overlay);
  let result = clone(doc);
  const unmatched = [];
  overlay.actions.forEach((action, index) => {
    const label = actionLabel(action, index);
    const nodes = select(result, action.target);
    if (!nodes.length) {
      unmatched.push({ index, action, label });
      return;
    }
    for (const node of action.remove === true ? [] : nodes) {
      if (node.value === null || typeof node.value !== "object") {
        throw new OverlayError(
          `${label}: the target selects a ${node.value === null ? "null" : typeof node.value}; it must select objects or arrays`,
        );
      }
    }
    if (action.remove === true) {
      if (nodes.some((n) => n.segments.length === 0)) throw new OverlayError(`${label}: cannot remove the root`);
      // array entries from the last index down, so that the earlier indexes stay valid
      const ordered = [...nodes].sort((a, b) => {
        const ka = a.segments.at(-1);
        const kb = b.segments.at(-1);
        return typeof ka === "number" && typeof kb === "number" ? kb - ka : 0;
      });
      for (const { segments } of ordered) {
        const parent = parentOf(result, segments);
        const key = segments.at(-1);
        if (Array.isArray(parent)) parent.splice(key, 1);
        else delete parent[key];
      }
      return;
    }
    for (const node of nodes) {
      if (Array.isArray(node.value)) node.value.push(clone(action.update));
      else if (isObject(action.update)) merge(node.value, action.update);
      else throw new OverlayError(`${label}: the target selects an object, so update must be an object`);
      if (node.segments.length === 0) result = node.value;
    }
  });
  return { doc: result, unmatched };
}

/**
 * Our extension `x-key-order` of an overlay document: `{ <JSONPath>: [key, …] }`. Each selected object's
 * keys are reordered: the listed ones first, in that order, then the rest as they were. Key order means
 * nothing to OpenAPI (another overlay tool gives an equal document), but the generator emits paths and
 * schemas in document order, so it keeps the generated code's order. A listed key or target that is
 * missing is an error: the list is stale.
 */
export function applyKeyOrder(doc, order) {
  if (order === undefined) return doc;
  if (!isObject(order)) throw new OverlayError("x-key-order must map JSONPath targets to lists of keys");
  for (const [target, keys] of Object.entries(order)) {
    if (!Array.isArray(keys)) throw new OverlayError(`x-key-order ${target}: expected a list of keys`);
    const nodes = select(doc, target).filter((n) => isObject(n.value));
    if (!nodes.length) throw new OverlayError(`x-key-order ${target}: selects no object (stale?)`);
    for (const { value } of nodes) {
      const missing = keys.filter((k) => !(k in value));
      if (missing.length) throw new OverlayError(`x-key-order ${target}: no key ${missing.join(", ")} (stale?)`);
      const entries = [...keys.map((k) => [k, value[k]]), ...Object.entries(value).filter(([k]) => !keys.includes(k))];
      for (const key of Object.keys(value)) delete value[key];
      for (const [key, v] of entries) value[key] = v;
    }
  }
  return doc;
}
