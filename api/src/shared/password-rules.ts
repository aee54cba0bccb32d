/**
 * The password rules, apart from the hashing (passwords.ts loads argon2, a native module): the
 * set-password page in the browser imports these to state and check the same rule the server does.
 */
/** Shortest password an account may have; long passphrases beat complexity rules. */
export const MIN_PASSWORD_LENGTH = 12;
/** Longest password accepted at all: hashing megabytes of input would be a cheap denial of service. */
export const MAX_PASSWORD_LENGTH = 1024;
