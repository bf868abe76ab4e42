/**
 * Payment passwords are stored as salted scrypt hashes, "scrypt$N$r$p$salt$hash" (base64 parts),
 * and checked in constant time. scrypt runs on libuv's thread pool, so a check never stalls the
 * platform's event loop (a cost-16384 hash takes tens of milliseconds).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;

export function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LENGTH, { N: cost, r: 8, p: 1, maxmem: 256 * cost * 8 }, (error, hash) => {
      if (error) reject(error);
      else resolve(`scrypt$${cost}$8$1$${salt.toString('base64')}$${hash.toString('base64')}`);
    });
  });
}

export function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || salt === undefined || hash === undefined) return Promise.reject(new Error('unknown password hash format'));
  const expected = Buffer.from(hash, 'base64');
  const N = Number(n);
  return new Promise((resolve, reject) => {
    scrypt(password, Buffer.from(salt, 'base64'), expected.length, { N, r: Number(r), p: Number(p), maxmem: 256 * N * Number(r) }, (error, derived) => {
      if (error) reject(error);
      else resolve(timingSafeEqual(derived, expected));
    });
  });
}
