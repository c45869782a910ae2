import createDebug from 'debug';

/** `DEBUG=lifeline:grpc-bootstrap` traces arming and draining. @internal */
export const debug = createDebug('lifeline:grpc-bootstrap');
