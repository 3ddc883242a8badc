/*
 * loader/signature.h — Ed25519 plugin signatures (libsodium), key and signature files.
 *
 * File formats (one text line each, base64 = sodium's "original" variant with padding):
 *   public key   tradehost-ed25519-public <base64 of 32 bytes>
 *   secret key   tradehost-ed25519-secret <base64 of 64 bytes>      (mode 0600)
 *   signature    tradehost-ed25519-signature <base64 of 64 bytes>   (PLUGIN.so.sig)
 * The signature is a detached Ed25519 signature over the exact bytes of the .so.
 *
 * Every function returns 0 on success and -1 on failure with a one-line message
 * in err (err may be NULL when errlen is 0). Secret keys are held in
 * sodium_malloc'ed memory, wiped after use, and never printed.
 */
#ifndef TH_LOADER_SIGNATURE_H
#define TH_LOADER_SIGNATURE_H

#include <stddef.h>
#include <stdint.h>

#define SIG_PUBLIC_KEY_BYTES 32
#define SIG_SECRET_KEY_BYTES 64
#define SIG_SIGNATURE_BYTES 64

#define SIG_PUBLIC_KEY_TAG "tradehost-ed25519-public"
#define SIG_SECRET_KEY_TAG "tradehost-ed25519-secret"
#define SIG_SIGNATURE_TAG "tradehost-ed25519-signature"

/* Suffix appended to a plugin path to name its signature file. */
#define SIG_FILE_SUFFIX ".sig"

/* sodium_init() exactly once; called by every function below, safe to call again. */
int sig_init(char *err, size_t errlen);

/*
 * Generate a new key pair. The secret key file is created with mode 0600 and
 * the public key file with mode 0644. Without force, refuses (before writing
 * anything) when either file exists; with force, replaces them.
 */
int sig_keygen(const char *secret_path, const char *public_path, int force, char *err, size_t errlen);

/*
 * Sign data[0..len) with the secret key in secret_path and write the signature
 * file sig_out_path (atomically: temp file + rename). The secret key file must
 * not be readable by group or others. name is what the data is called in
 * error messages (e.g. the plugin path); NULL means "data".
 */
int sig_sign_bytes(const char *secret_path, const uint8_t *data, size_t len, const char *name,
                   const char *sig_out_path, char *err, size_t errlen);

/*
 * Load and check the secret key file (format, permissions, consistency)
 * without signing anything, so a caller signing many files fails once, early.
 */
int sig_check_secret(const char *secret_path, char *err, size_t errlen);

/* Sign the contents of file; sig_out_path NULL means file + SIG_FILE_SUFFIX. */
int sig_sign_file(const char *secret_path, const char *file, const char *sig_out_path, char *err, size_t errlen);

/* Read a public key file into pk. */
int sig_load_public(const char *path, uint8_t pk[SIG_PUBLIC_KEY_BYTES], char *err, size_t errlen);

/*
 * Succeeds only if the signature in sig_path is a valid signature of
 * data[0..len) under one of the ntrusted keys. The signed file's name in
 * messages is sig_path without its ".sig" suffix. Errors read
 *   "no signature file X.sig"
 *   "malformed signature file X.sig: <what is wrong>"
 *   "signature of X does not verify with any trusted key (N tried)"
 */
int sig_verify(const uint8_t *data, size_t len, const char *sig_path, const uint8_t (*trusted)[SIG_PUBLIC_KEY_BYTES],
               size_t ntrusted, char *err, size_t errlen);

#endif
