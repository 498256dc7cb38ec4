import { hashPassword } from '../server/access/auth';

/** Prints the hash to put in a config's users[].passwordHash. */
const password = process.argv[2];
if (!password) {
  console.error("usage: npm run hash-password -- 'the password'");
  process.exit(2);
}
console.log(hashPassword(password));
