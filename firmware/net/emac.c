/*
 * EMAC0 + internal PHY driver. See emac.h for the design; register facts in emac_regs.h.
 */
#include "emac.h"

#include "../board/cpu.h"
#include "../board/sysctl.h"
#include "emac_regs.h"

/* Enhanced descriptor (DMABUSMOD.ATDS = 1): DES0..DES3 as in the facts sheet, DES4..DES7 for
 * timestamps and extended status, not used here but part of the 32-byte stride. */
struct emac_desc {
    volatile uint32_t des0;
    volatile uint32_t des1;
    volatile uint32_t des2;
    volatile uint32_t des3;
    volatile uint32_t ext[4];
};
_Static_assert(sizeof(struct emac_desc) == 32, "ATDS descriptor stride");

static struct emac_desc rx_ring[EMAC_RX_DESCS] __attribute__((aligned(16)));
static struct emac_desc tx_ring[EMAC_TX_DESCS] __attribute__((aligned(16)));
static uint8_t rx_buf[EMAC_RX_DESCS][EMAC_BUF_SIZE] __attribute__((aligned(4)));
static uint8_t tx_buf[EMAC_TX_DESCS][EMAC_BUF_SIZE] __attribute__((aligned(4)));

static uint32_t rx_next;   /* next descriptor the driver looks at */
static uint32_t tx_next;   /* next descriptor the driver fills */
static uint32_t mii_cr;    /* MDC divider for the system clock */

static volatile bool rx_event;   /* RI or RU seen by the handler */
static volatile bool rx_stalled; /* RU: poll the DMA once a descriptor is free again */
static volatile bool phy_event;  /* PHY interrupt: EPHYIM masked until serviced */
static struct emac_stats stats;

/* Bounds of busy waits. The DMA reset and an MDIO transaction take microseconds on silicon; the
 * bounds only keep a dead peripheral from hanging the firmware. */
#define SWR_POLL_LIMIT   200000u
#define MIIB_POLL_LIMIT  100000u
#define TX_WAIT_LIMIT    200000u

/* ---- MDIO ------------------------------------------------------------------------------------- */

static bool mii_wait(void)
{
    for (uint32_t i = 0; i < MIIB_POLL_LIMIT; i++) {
        if (!(reg_read(EMAC_MIIADDR) & EMAC_MII_MIIB)) {
            return true;
        }
    }
    return false;
}

bool emac_mdio_read(uint8_t reg, uint16_t *value)
{
    if (!mii_wait()) {
        return false;
    }
    reg_write(EMAC_MIIADDR, (EPHY_ADDR << EMAC_MII_PLA_SHIFT) | ((uint32_t)(reg & 0x1Fu) << EMAC_MII_REG_SHIFT) |
                                (mii_cr << EMAC_MII_CR_SHIFT) | EMAC_MII_MIIB);
    if (!mii_wait()) {
        return false;
    }
    *value = (uint16_t)(reg_read(EMAC_MIIDATA) & 0xFFFFu);
    return true;
}

bool emac_mdio_write(uint8_t reg, uint16_t value)
{
    if (!mii_wait()) {
        return false;
    }
    reg_write(EMAC_MIIDATA, value);
    reg_write(EMAC_MIIADDR, (EPHY_ADDR << EMAC_MII_PLA_SHIFT) | ((uint32_t)(reg & 0x1Fu) << EMAC_MII_REG_SHIFT) |
                                (mii_cr << EMAC_MII_CR_SHIFT) | EMAC_MII_MIIW | EMAC_MII_MIIB);
    return mii_wait();
}

/* MDC must stay at or below 2.5 MHz. */
static uint32_t mii_divider_for(uint32_t sysclk_hz)
{
    if (sysclk_hz >= 100000000u) {
        return EMAC_MII_CR_100_150; /* / 62 */
    }
    if (sysclk_hz >= 60000000u) {
        return 0u; /* / 42 */
    }
    if (sysclk_hz >= 35000000u) {
        return 3u; /* / 26 */
    }
    return EMAC_MII_CR_20_35; /* / 16 */
}

/* ---- MAC address ------------------------------------------------------------------------------ */

bool emac_read_board_mac(uint8_t mac[6])
{
    uint32_t u0 = reg_read(SYSCTL_USERREG0);
    uint32_t u1 = reg_read(SYSCTL_USERREG1);
    mac[0] = (uint8_t)u0;
    mac[1] = (uint8_t)(u0 >> 8);
    mac[2] = (uint8_t)(u0 >> 16);
    mac[3] = (uint8_t)u1;
    mac[4] = (uint8_t)(u1 >> 8);
    mac[5] = (uint8_t)(u1 >> 16);
    return u0 != 0xFFFFFFFFu && u1 != 0xFFFFFFFFu;
}

void emac_factory_mac(uint8_t mac[6])
{
    if (!emac_read_board_mac(mac)) {
        /* Unprogrammed USERREG: a locally administered address so the stack still works. */
        static const uint8_t fallback[6] = {0x02, 0x00, 0x4C, 0x00, 0x00, 0x07};
        for (uint32_t k = 0; k < 6; k++) {
            mac[k] = fallback[k];
        }
    }
}

void emac_set_mac_address(const uint8_t mac[6])
{
    /* ADDR0L latches the whole address, so the high half goes first. */
    reg_write(EMAC_ADDR0H, (uint32_t)mac[4] | ((uint32_t)mac[5] << 8));
    reg_write(EMAC_ADDR0L, (uint32_t)mac[0] | ((uint32_t)mac[1] << 8) | ((uint32_t)mac[2] << 16) |
                               ((uint32_t)mac[3] << 24));
}

/* ---- descriptor rings ------------------------------------------------------------------------- */

static void rings_init(void)
{
    for (uint32_t i = 0; i < EMAC_RX_DESCS; i++) {
        rx_ring[i].des1 = (EMAC_BUF_SIZE & EMAC_RDES1_RBS1_MASK) | (i == EMAC_RX_DESCS - 1u ? EMAC_RDES1_RER : 0u);
        rx_ring[i].des2 = (uint32_t)(uintptr_t)rx_buf[i];
        rx_ring[i].des3 = 0;
        rx_ring[i].des0 = EMAC_RDES0_OWN;
    }
    for (uint32_t i = 0; i < EMAC_TX_DESCS; i++) {
        tx_ring[i].des1 = 0;
        tx_ring[i].des2 = (uint32_t)(uintptr_t)tx_buf[i];
        tx_ring[i].des3 = 0;
        tx_ring[i].des0 = i == EMAC_TX_DESCS - 1u ? EMAC_TDES0_TER : 0u;
    }
    rx_next = 0;
    tx_next = 0;
    cpu_dsb();
    reg_write(EMAC_RXDLADDR, (uint32_t)(uintptr_t)rx_ring);
    reg_write(EMAC_TXDLADDR, (uint32_t)(uintptr_t)tx_ring);
}

/* ---- PHY -------------------------------------------------------------------------------------- */

static void phy_init(void)
{
    uint16_t v;
    /* Auto-negotiation on (the reset default) and restarted, so the link comes up with the best
     * common mode whatever state a previous firmware left. */
    emac_mdio_write(EPHY_BMCR, EPHY_BMCR_ANEN | EPHY_BMCR_RESTARTAN);
    /* Link status changes raise the PHY interrupt output, which EMAC0 forwards as EPHYRIS.INT. */
    emac_mdio_write(EPHY_MISR1, EPHY_MISR1_LINKSTATEN);
    if (emac_mdio_read(EPHY_SCR, &v)) {
        emac_mdio_write(EPHY_SCR, (uint16_t)(v | EPHY_SCR_INTEN));
    }
    emac_mdio_read(EPHY_MISR1, &v); /* clear stale status */
    reg_write(EMAC_EPHYMISC, EMAC_EPHY_INT);
    reg_write(EMAC_EPHYIM, EMAC_EPHY_INT);
}

struct emac_link emac_phy_service(bool *bounced)
{
    struct emac_link link = {false, false, false};
    uint16_t misr1 = 0, bmsr = 0, sts = 0;

    phy_event = false;
    emac_mdio_read(EPHY_MISR1, &misr1);  /* read-to-clear: the PHY drops its interrupt output */
    reg_write(EMAC_EPHYMISC, EMAC_EPHY_INT);
    reg_write(EMAC_EPHYIM, EMAC_EPHY_INT);

    bool read_ok = emac_mdio_read(EPHY_BMSR, &bmsr); /* latch-low: 0 if the link dropped since */
    read_ok = emac_mdio_read(EPHY_STS, &sts) && read_ok;
    if (read_ok) {
        link.up = (sts & EPHY_STS_LINK) != 0;
        link.speed100 = (sts & EPHY_STS_SPEED_10) == 0;
        link.full_duplex = (sts & EPHY_STS_DUPLEX) != 0;
    }
    if (bounced) {
        *bounced = link.up && !(bmsr & EPHY_BMSR_LINKSTAT);
    }
    return link;
}

void emac_set_link_mode(const struct emac_link *link)
{
    uint32_t cfg = reg_read(EMAC_CFG);
    uint32_t want = cfg & ~(EMAC_CFG_FES | EMAC_CFG_DUPM | EMAC_CFG_DR);
    want |= link->speed100 ? EMAC_CFG_FES : 0u;
    want |= link->full_duplex ? EMAC_CFG_DUPM : EMAC_CFG_DR; /* half duplex: do not receive own frames */
    if (want != cfg) {
        reg_write(EMAC_CFG, want & ~(EMAC_CFG_TE | EMAC_CFG_RE));
        reg_write(EMAC_CFG, want);
    }
}

/* ---- init ------------------------------------------------------------------------------------- */

bool emac_init(uint32_t sysclk_hz, uint8_t mac[6])
{
    bool ok = true;
    mii_cr = mii_divider_for(sysclk_hz);

    /* The internal PHY is the reset default of EMACPC; the PHY clock goes on first so the MAC's
     * DMA reset (which needs the PHY clocks) can complete. */
    ok = sysctl_enable(SYSCTL_SFX_EPHY, 1u) && ok;
    ok = sysctl_enable(SYSCTL_SFX_EMAC, 1u) && ok;
    if (!ok) {
        return false;
    }

    reg_set(EMAC_DMABUSMOD, EMAC_BUSMOD_SWR);
    uint32_t i = 0;
    while ((reg_read(EMAC_DMABUSMOD) & EMAC_BUSMOD_SWR) && i < SWR_POLL_LIMIT) {
        i++;
    }
    if (i == SWR_POLL_LIMIT) {
        return false;
    }

    /* 8-word descriptors, no gap between them, bursts of 8 beats. */
    reg_write(EMAC_DMABUSMOD, EMAC_BUSMOD_ATDS | (8u << EMAC_BUSMOD_PBL_SHIFT) | (0u << EMAC_BUSMOD_DSL_SHIFT));

    emac_factory_mac(mac);
    emac_set_mac_address(mac);

    /* Own address (perfect filter) and broadcast; multicast is not used (no IGMP). */
    reg_write(EMAC_FRAMEFLTR, 0);
    reg_write(EMAC_HASHTBLH, 0);
    reg_write(EMAC_HASHTBLL, 0);
    reg_write(EMAC_FLOWCTL, 0);

    rings_init();

    /* MII port, 96-bit IFG, 100 Mb/s full duplex until the PHY says otherwise; CRC appended and
     * short frames padded by the MAC (descriptor DC/DP clear). */
    reg_write(EMAC_CFG, EMAC_CFG_PS | EMAC_CFG_FES | EMAC_CFG_DUPM);

    reg_write(EMAC_DMARIS, EMAC_DMA_STATUS_MASK);
    reg_write(EMAC_DMAIM, EMAC_DMA_NIS | EMAC_DMA_AIS | EMAC_DMA_RI | EMAC_DMA_RU | EMAC_DMA_FBI);
    /* Store-and-forward both ways: whole frames only, no underflow on a slow bus. */
    reg_write(EMAC_DMAOPMODE, EMAC_OPMODE_TSF | EMAC_OPMODE_RSF | EMAC_OPMODE_ST | EMAC_OPMODE_SR);
    reg_set(EMAC_CFG, EMAC_CFG_TE | EMAC_CFG_RE);

    phy_init();

    nvic_set_priority(IRQ_EMAC0, EMAC_IRQ_PRIORITY);
    nvic_clear_pending(IRQ_EMAC0);
    nvic_enable(IRQ_EMAC0);
    return true;
}

/* ---- interrupt -------------------------------------------------------------------------------- */

void EMAC0_Handler(void)
{
    uint32_t ris = reg_read(EMAC_DMARIS) & EMAC_DMA_STATUS_MASK;
    uint32_t causes = ris & ~(EMAC_DMA_NIS | EMAC_DMA_AIS);
    if (causes) {
        reg_write(EMAC_DMARIS, causes);
    }
    if (ris & (EMAC_DMA_NIS | EMAC_DMA_AIS)) {
        reg_write(EMAC_DMARIS, ris & (EMAC_DMA_NIS | EMAC_DMA_AIS));
    }
    if (ris & EMAC_DMA_RI) {
        rx_event = true;
    }
    if (ris & EMAC_DMA_RU) {
        rx_event = true;
        rx_stalled = true;
        stats.rx_unavail++;
    }
    if (ris & EMAC_DMA_FBI) {
        stats.bus_errors++;
    }
    if (reg_read(EMAC_EPHYMISC) & EMAC_EPHY_INT) {
        /* MISR1 is read over MDIO from the main loop; until then the PHY source stays masked. */
        reg_write(EMAC_EPHYIM, 0);
        phy_event = true;
    }
}

bool emac_has_work(void)
{
    return rx_event || phy_event || !(rx_ring[rx_next].des0 & EMAC_RDES0_OWN);
}

bool emac_phy_pending(void)
{
    return phy_event;
}

/* ---- receive ---------------------------------------------------------------------------------- */

static void rx_give_back(uint32_t idx)
{
    rx_ring[idx].des1 = (EMAC_BUF_SIZE & EMAC_RDES1_RBS1_MASK) | (idx == EMAC_RX_DESCS - 1u ? EMAC_RDES1_RER : 0u);
    cpu_dsb();
    rx_ring[idx].des0 = EMAC_RDES0_OWN;
    cpu_dsb();
    if (rx_stalled) {
        rx_stalled = false;
        reg_write(EMAC_RXPOLLD, 1u); /* RU: the DMA suspended; tell it a descriptor is free */
    }
}

const uint8_t *emac_rx_next(size_t *len)
{
    rx_event = false;
    for (;;) {
        uint32_t d0 = rx_ring[rx_next].des0;
        if (d0 & EMAC_RDES0_OWN) {
            return NULL;
        }
        uint32_t fl = (d0 >> EMAC_RDES0_FL_SHIFT) & EMAC_RDES0_FL_MASK;
        bool whole = (d0 & (EMAC_RDES0_FS | EMAC_RDES0_LS)) == (EMAC_RDES0_FS | EMAC_RDES0_LS);
        if (whole && !(d0 & EMAC_RDES0_ES) && fl > 4u && fl <= EMAC_BUF_SIZE) {
            *len = fl - 4u; /* without the FCS */
            stats.rx_frames++;
            return rx_buf[rx_next];
        }
        /* Error, or a frame spread over descriptors (cannot happen with 1536-byte buffers and
         * frames of at most 1518 bytes): dropped. */
        stats.rx_errors++;
        rx_give_back(rx_next);
        rx_next = (rx_next + 1u) % EMAC_RX_DESCS;
    }
}

void emac_rx_release(void)
{
    rx_give_back(rx_next);
    rx_next = (rx_next + 1u) % EMAC_RX_DESCS;
}

/* ---- transmit --------------------------------------------------------------------------------- */

uint8_t *emac_tx_buffer(void)
{
    /* A frame of 1518 bytes takes 123 us at 100 Mb/s: a full ring frees a descriptor quickly. */
    for (uint32_t i = 0; i < TX_WAIT_LIMIT; i++) {
        if (!(tx_ring[tx_next].des0 & EMAC_TDES0_OWN)) {
            return tx_buf[tx_next];
        }
    }
    stats.tx_busy++;
    return NULL;
}

void emac_tx_send(size_t len)
{
    struct emac_desc *d = &tx_ring[tx_next];
    d->des1 = (uint32_t)len & EMAC_TDES1_TBS1_MASK;
    d->des2 = (uint32_t)(uintptr_t)tx_buf[tx_next];
    uint32_t ter = tx_next == EMAC_TX_DESCS - 1u ? EMAC_TDES0_TER : 0u;
    cpu_dsb();
    d->des0 = EMAC_TDES0_OWN | EMAC_TDES0_FS | EMAC_TDES0_LS | ter;
    cpu_dsb();
    reg_write(EMAC_TXPOLLD, 1u); /* resume the DMA if it suspended on an empty ring (TU) */
    tx_next = (tx_next + 1u) % EMAC_TX_DESCS;
    stats.tx_frames++;
}

bool emac_tx_idle(void)
{
    for (uint32_t i = 0; i < EMAC_TX_DESCS; i++) {
        if (tx_ring[i].des0 & EMAC_TDES0_OWN) {
            return false;
        }
    }
    return true;
}

const struct emac_stats *emac_get_stats(void)
{
    return &stats;
}
