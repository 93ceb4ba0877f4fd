// Declarations of the core library types whose layout the MIR of a crate relies on but
// never shows (variant order decides discriminants). They are written in codegend's
// own declaration syntax and parsed like hand-written MIR, so there is one source of truth.

export const CORE_ADTS_FILE = '<core>';

export const CORE_ADTS = `
enum Option<T> { None, Some(T) }
enum Result<T, E> { Ok(T), Err(E) }
enum ControlFlow<B, C> { Continue(C), Break(B) }
#[repr(i8)]
enum Ordering { Less = -1, Equal = 0, Greater = 1 }
struct Range<Idx> { start: Idx, end: Idx }
struct RangeInclusive<Idx> { start: Idx, end: Idx, exhausted: bool }
struct RangeFrom<Idx> { start: Idx }
struct RangeTo<Idx> { end: Idx }
struct PhantomData<T>;
struct ManuallyDrop<T> { value: T }
#[repr(transparent)]
struct NonNull<T> { pointer: *const T }
`;

/** Defaults of generic parameters of the core types above, which rustc's dump leaves out. */
export const CORE_ADT_DEFAULTS: ReadonlyMap<string, ReadonlyMap<string, import('./ast.js').Ty>> = new Map([['ControlFlow', new Map([['C', { kind: 'tuple', elems: [] }]])]]);
