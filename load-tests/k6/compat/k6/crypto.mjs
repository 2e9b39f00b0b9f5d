// k6/crypto: the hashes the scripts use, from Node's crypto.
import { createHash, createHmac, randomBytes as nodeRandomBytes } from 'node:crypto';

function digest(algorithm, input, encoding) {
  const hash = createHash(algorithm).update(input);
  return encoding === 'base64' ? hash.digest('base64') : encoding === 'binary' ? hash.digest() : hash.digest('hex');
}

export const sha256 = (input, encoding) => digest('sha256', input, encoding);
export const sha1 = (input, encoding) => digest('sha1', input, encoding);
export const md5 = (input, encoding) => digest('md5', input, encoding);
export const hmac = (algorithm, secret, input, encoding) => createHmac(algorithm, secret).update(input).digest(encoding === 'base64' ? 'base64' : 'hex');
export const randomBytes = (size) => nodeRandomBytes(size).buffer;

export default { sha256, sha1, md5, hmac, randomBytes };
