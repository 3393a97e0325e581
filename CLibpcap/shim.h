#ifndef PHONEBOOT_CLIBPCAP_SHIM_H
#define PHONEBOOT_CLIBPCAP_SHIM_H

#include <pcap/pcap.h>

#if defined(__linux__)
/* __fsetlocking: a capture file's stream is read by one thread only, so its stdio lock can go. */
#include <stdio_ext.h>
#endif

#endif
