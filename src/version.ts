// The codegend version: part of every cache key that shapes an object.
export const VERSION = '0.1.0';
