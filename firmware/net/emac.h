/*
 * EMAC0 driver with the TM4C1294's internal PHY (bare metal, no lwIP dependency).
 *
 * DMA: enhanced (8-word, ATDS) descriptors in ring mode, all in SRAM. RX: EMAC_RX_DESCS buffers of
 * EMAC_BUF_SIZE bytes, one frame per descriptor; the interrupt handler only notes that frames are
 * waiting (RI, RU) and the main loop takes them out with emac_rx_next() / emac_rx_release(). TX:
 * EMAC_TX_DESCS descriptors with their own buffers; a frame is copied into the next free buffer,
 * handed to the DMA with OWN and started with TXPOLLD. Ownership alone tells which descriptors are
 * free again, so no TX interrupt is needed.
 *
 * PHY: at MDIO address 0, auto-negotiation on, link changes raise the PHY interrupt (SCR.INTEN,
 * MISR1.LINKSTATEN, EPHYIM), which also only sets a flag; emac_phy_service() reads the state from
 * the main loop (the owner also calls it periodically as a fallback poll).
 */
#ifndef K7_NET_EMAC_H
#define K7_NET_EMAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EMAC_RX_DESCS 12u
#define EMAC_TX_DESCS 8u
#define EMAC_BUF_SIZE 1536u

/* Interrupt priority of EMAC0 (below SysTick and the module UART: the handler is short). */
#define EMAC_IRQ_PRIORITY 3u

struct emac_link {
    bool up;
    bool speed100;
    bool full_duplex;
};

struct emac_stats {
    uint32_t rx_frames;
    uint32_t rx_errors;     /* ES set, or a frame that did not fit in one buffer */
    uint32_t rx_unavail;    /* RU: the DMA found no free descriptor */
    uint32_t tx_frames;
    uint32_t tx_busy;       /* no free TX descriptor in time: frame dropped */
    uint32_t bus_errors;    /* FBI */
};

/* Clocks for MAC and PHY, DMA reset, MAC address from USERREG0/1 (returned in mac), descriptor rings,
 * filter (own address + broadcast), PHY auto-negotiation and link interrupt, EMAC0 interrupt on.
 * Returns false when the peripheral did not come up (clock or DMA reset not ready). */
bool emac_init(uint32_t sysclk_hz, uint8_t mac[6]);

/* The board MAC as stored in USERREG0/1; false if they are unprogrammed (all ones). */
bool emac_read_board_mac(uint8_t mac[6]);

/* The factory MAC: the board MAC, or 02:00:4C:00:00:07 when USERREG0/1 are unprogrammed. */
void emac_factory_mac(uint8_t mac[6]);

/* Program the station address (perfect filter and source address), e.g. a user MAC after emac_init(). */
void emac_set_mac_address(const uint8_t mac[6]);

/* Received frames are waiting, or the PHY signalled an event (set by the interrupt handler). */
bool emac_has_work(void);

/* The oldest received frame (without FCS), or NULL when the DMA owns the next descriptor. Frames
 * with errors are skipped and counted. The buffer stays valid until emac_rx_release(). */
const uint8_t *emac_rx_next(size_t *len);
void emac_rx_release(void);

/* A free TX buffer of EMAC_BUF_SIZE bytes, or NULL if the ring stays full for too long. */
uint8_t *emac_tx_buffer(void);
/* Hand the buffer returned by emac_tx_buffer() to the DMA with `len` frame bytes (no FCS). */
void emac_tx_send(size_t len);

/* The DMA has sent every frame handed to it (no TX descriptor is owned by the DMA). */
bool emac_tx_idle(void);

/* The PHY interrupt fired and emac_phy_service() has not run since. */
bool emac_phy_pending(void);

/* Read the PHY's interrupt status and link state, re-arm the PHY interrupt. `bounced` is set when
 * the link went down and came back since the last call. Returns the current link. */
struct emac_link emac_phy_service(bool *bounced);

/* Program the MAC's speed and duplex to match the negotiated link. */
void emac_set_link_mode(const struct emac_link *link);

/* PHY register access through MIIADDR / MIIDATA (polling MIIB, bounded). */
bool emac_mdio_read(uint8_t reg, uint16_t *value);
bool emac_mdio_write(uint8_t reg, uint16_t value);

const struct emac_stats *emac_get_stats(void);

void EMAC0_Handler(void);

#endif /* K7_NET_EMAC_H */
