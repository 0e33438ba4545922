// Small DOM helpers shared by the pages.

export const $ = (id) => document.getElementById(id);

/** An element with properties and children: element("li", { className: "x" }, "text", child). */
export function element(tag, props = {}, ...children) {
  const node = Object.assign(document.createElement(tag), props);
  node.append(...children);
  return node;
}
