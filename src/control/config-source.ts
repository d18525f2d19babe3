// Loads the MOSN document with the built-in extensions (filters, router parser) plugged in.
import { loadConfigFile } from '../config/load.ts';
import type { ConfigExtensions, ParsedConfig } from '../config/mosn-config.ts';
import { parseRouterConfig } from '../config/route.ts';
import { builtinNetworkFilters } from '../extensions.ts';

export const configExtensions: ConfigExtensions = {
  networkFilters: new Map(builtinNetworkFilters.map((f) => [f.name, f])),
  parseRouter: parseRouterConfig,
};

export function loadMosnConfig(file: string, generation = 1): ParsedConfig {
  return loadConfigFile(file, configExtensions, generation);
}
