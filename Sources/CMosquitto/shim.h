#ifndef PULSEBMS_CMOSQUITTO_SHIM_H
#define PULSEBMS_CMOSQUITTO_SHIM_H
#include <mosquitto.h>

static inline int pulse_mosq_err_success(void) { return MOSQ_ERR_SUCCESS; }
static inline int pulse_mosq_err_no_conn(void) { return MOSQ_ERR_NO_CONN; }
static inline int pulse_mosq_err_conn_lost(void) { return MOSQ_ERR_CONN_LOST; }
#endif
