#ifndef PHONEBOOT_CLIBXML2_SHIM_H
#define PHONEBOOT_CLIBXML2_SHIM_H

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>

/// Frees memory libxml2 allocated (a string from xmlNodeListGetString). libxml2 built with
/// LIBXML_THREAD_ALLOC_ENABLED makes xmlFree a macro, which Swift cannot call.
static inline void phoneboot_xmlFree(void *pointer) {
    xmlFree(pointer);
}

#endif
