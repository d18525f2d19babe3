// js-to-java: typed Java values (Hessian 2 class names) for Dubbo arguments, typed for the tests.
import { createRequire } from 'node:module';

export interface JavaValue {
  $class: string;
  $: unknown;
}

export const java = createRequire(import.meta.url)('js-to-java') as ((type: string, value: unknown) => JavaValue) & {
  String(value: string): JavaValue;
  int(value: number): JavaValue;
  long(value: number): JavaValue;
  List(value: unknown[]): JavaValue;
};
