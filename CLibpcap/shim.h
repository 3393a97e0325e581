#ifndef PHONEBOOT_CLIBPCAP_SHIM_H
#define PHONEBOOT_CLIBPCAP_SHIM_H

#include <pcap/pcap.h>

#endif
