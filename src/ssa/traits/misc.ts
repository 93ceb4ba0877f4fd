// What a module context knows beyond its symbols: the unit it belongs to and the
// options it was created with.

export interface ModuleOptions {
  /** 0..3, like `-C opt-level`. */
  opt: 0 | 1 | 2 | 3;
}

export interface MiscMethods {
  readonly unitName: string;
  readonly options: ModuleOptions;
}
