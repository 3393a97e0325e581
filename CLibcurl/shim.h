// libcurl, from Debian's libcurl4-openssl-dev: the HTTPS client of `phoneboot probe --fetch`.
//
// The binary does not link libcurl: only an HTTPS fetch needs it, and linking it (and the
// forty libraries it pulls in) would cost every command several megabytes of memory at start.
// phoneboot_curl_load opens libcurl.so.4 when it is first needed; the functions below call
// through the pointers it found. curl_easy_setopt and curl_easy_getinfo are variadic, which
// Swift cannot call: the wrappers pass each kind of value the probe sets or reads.
#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

typedef size_t (*phoneboot_curl_write_callback)(char *, size_t, size_t, void *);

typedef struct {
    void *easy_init;
    void *easy_cleanup;
    void *easy_perform;
    void *easy_setopt;
    void *easy_getinfo;
    void *easy_strerror;
} phoneboot_curl_api;

/// Opens libcurl.so.4 and finds its functions; 1 on success, 0 when the library or one of the
/// functions is missing (then the fetch says so).
static inline int phoneboot_curl_load(phoneboot_curl_api *api) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return 0;
    api->easy_init = dlsym(library, "curl_easy_init");
    api->easy_cleanup = dlsym(library, "curl_easy_cleanup");
    api->easy_perform = dlsym(library, "curl_easy_perform");
    api->easy_setopt = dlsym(library, "curl_easy_setopt");
    api->easy_getinfo = dlsym(library, "curl_easy_getinfo");
    api->easy_strerror = dlsym(library, "curl_easy_strerror");
    return api->easy_init && api->easy_cleanup && api->easy_perform && api->easy_setopt && api->easy_getinfo
        && api->easy_strerror;
}

static inline CURL *phoneboot_curl_easy_init(const phoneboot_curl_api *api) {
    return ((CURL * (*)(void)) api->easy_init)();
}

static inline void phoneboot_curl_easy_cleanup(const phoneboot_curl_api *api, CURL *handle) {
    ((void (*)(CURL *))api->easy_cleanup)(handle);
}

static inline CURLcode phoneboot_curl_easy_perform(const phoneboot_curl_api *api, CURL *handle) {
    return ((CURLcode(*)(CURL *))api->easy_perform)(handle);
}

static inline const char *phoneboot_curl_easy_strerror(const phoneboot_curl_api *api, CURLcode code) {
    return ((const char *(*)(CURLcode))api->easy_strerror)(code);
}

static inline CURLcode phoneboot_curl_set_long(const phoneboot_curl_api *api, CURL *handle, CURLoption option, long value) {
    return ((CURLcode(*)(CURL *, CURLoption, ...))api->easy_setopt)(handle, option, value);
}

static inline CURLcode phoneboot_curl_set_string(
    const phoneboot_curl_api *api, CURL *handle, CURLoption option, const char *value) {
    return ((CURLcode(*)(CURL *, CURLoption, ...))api->easy_setopt)(handle, option, value);
}

static inline CURLcode phoneboot_curl_set_pointer(
    const phoneboot_curl_api *api, CURL *handle, CURLoption option, void *value) {
    return ((CURLcode(*)(CURL *, CURLoption, ...))api->easy_setopt)(handle, option, value);
}

static inline CURLcode phoneboot_curl_set_write_function(
    const phoneboot_curl_api *api, CURL *handle, phoneboot_curl_write_callback callback) {
    return ((CURLcode(*)(CURL *, CURLoption, ...))api->easy_setopt)(handle, CURLOPT_WRITEFUNCTION, callback);
}

static inline CURLcode phoneboot_curl_get_long(const phoneboot_curl_api *api, CURL *handle, CURLINFO info, long *value) {
    return ((CURLcode(*)(CURL *, CURLINFO, ...))api->easy_getinfo)(handle, info, value);
}

static inline CURLcode phoneboot_curl_get_offset(
    const phoneboot_curl_api *api, CURL *handle, CURLINFO info, curl_off_t *value) {
    return ((CURLcode(*)(CURL *, CURLINFO, ...))api->easy_getinfo)(handle, info, value);
}
