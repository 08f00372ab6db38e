#ifndef EMOTELAB_COPENSSL_SHIM_H
#define EMOTELAB_COPENSSL_SHIM_H
/* OpenSSL's libcrypto: the EVP digest API (SHA-256 for session content hashes). */
#include <openssl/evp.h>
#endif
