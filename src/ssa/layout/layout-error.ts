// The one error of the layout code: a type that cannot be laid out (a generic parameter
// left over, an unknown ADT, an unsized value where a sized one is needed). Its message
// names the type: "cannot lay out `T`: …". Re-exported by layout-cx.ts.

export class LayoutError extends Error {
  override name = 'LayoutError';
}
