// Everything a proxied HTTP request needs from its listener and worker, built once per listener.
import type { ListenerProxyContext } from '../listener-context.ts';
import type { HttpProxyOptions } from './options.ts';

export interface HttpProxyContext extends ListenerProxyContext {
  readonly options: HttpProxyOptions;
}
