// Node's Buffer has fast latin1 helpers that skip argument normalisation (undici uses them too);
// @types/node does not declare them.
declare global {
  interface Buffer {
    latin1Slice(start: number, end: number): string;
    latin1Write(text: string, offset: number, length?: number): number;
  }
}
export {};
