/* Internal: the section parsers behind pe_policy_load (not a public header). Each parser reads exactly
 * its section's bytes through a cursor, validates every field and fills its part of the policy. */
#ifndef PE_POLICY_INTERNAL_H
#define PE_POLICY_INTERNAL_H

#include "pe_bytes.h"
#include "pe_policy.h"

pe_status_t pe_parse_normalisation(pe_cursor_t section, pe_policy_t *policy);
/* Needs policy->input_count (from the normalisation section). */
pe_status_t pe_parse_layers(pe_cursor_t section, pe_policy_t *policy);
/* Needs the layers (the last layer's width bounds the action count). */
pe_status_t pe_parse_action(pe_cursor_t section, pe_policy_t *policy);
pe_status_t pe_parse_limits(pe_cursor_t section, pe_safety_limits_t *limits);

/* The arena size the loaded layers need: two ping-pong buffers of the widest layer. */
size_t pe_policy_required_arena(const pe_policy_t *policy);

#endif
