/*
 * mhd.h: libmicrohttpd, loaded with dlopen() when the server starts.
 *
 * Linked normally, libmicrohttpd brings GnuTLS and its dependencies into
 * every start of the crucible binary, a cost each `crucible sandbox run`
 * would pay without serving anything. Its functions are resolved once by
 * web_mhd_load(); including this header routes the MHD_* calls below
 * through that table.
 */
#ifndef CRUCIBLE_WEB_MHD_H
#define CRUCIBLE_WEB_MHD_H

#include <microhttpd.h>

#include "common.h"

#define WEB_MHD_SONAME "libmicrohttpd.so.12"

#define WEB_MHD_SYMBOLS(X) \
    X(MHD_add_response_header) \
    X(MHD_del_response_header) \
    X(MHD_lookup_connection_value) \
    X(MHD_destroy_response) \
    X(MHD_create_response_from_buffer) \
    X(MHD_create_response_from_fd64) \
    X(MHD_stop_daemon) \
    X(MHD_start_daemon) \
    X(MHD_quiesce_daemon) \
    X(MHD_queue_response) \
    X(MHD_is_feature_supported) \
    X(MHD_get_connection_values) \
    X(MHD_get_connection_info) \
    X(MHD_create_response_from_callback) \
    X(MHD_suspend_connection) \
    X(MHD_resume_connection)

#define WEB_MHD_FIELD(name) __typeof__(name) *name;
struct web_mhd_api {
    WEB_MHD_SYMBOLS(WEB_MHD_FIELD)
};
#undef WEB_MHD_FIELD

extern struct web_mhd_api web_mhd;   /* filled once, by web_mhd_load() */

/* Loads the library (once per process; thread-safe). */
int web_mhd_load(struct err *err);

#ifndef WEB_MHD_IMPLEMENTATION
#define MHD_add_response_header web_mhd.MHD_add_response_header
#define MHD_del_response_header web_mhd.MHD_del_response_header
#define MHD_lookup_connection_value web_mhd.MHD_lookup_connection_value
#define MHD_destroy_response web_mhd.MHD_destroy_response
#define MHD_create_response_from_buffer web_mhd.MHD_create_response_from_buffer
#define MHD_create_response_from_fd64 web_mhd.MHD_create_response_from_fd64
#define MHD_stop_daemon web_mhd.MHD_stop_daemon
#define MHD_start_daemon web_mhd.MHD_start_daemon
#define MHD_quiesce_daemon web_mhd.MHD_quiesce_daemon
#define MHD_queue_response web_mhd.MHD_queue_response
#define MHD_is_feature_supported web_mhd.MHD_is_feature_supported
#define MHD_get_connection_values web_mhd.MHD_get_connection_values
#define MHD_get_connection_info web_mhd.MHD_get_connection_info
#define MHD_create_response_from_callback web_mhd.MHD_create_response_from_callback
#define MHD_suspend_connection web_mhd.MHD_suspend_connection
#define MHD_resume_connection web_mhd.MHD_resume_connection
#endif

#endif
