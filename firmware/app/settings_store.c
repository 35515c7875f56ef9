/*
 * Settings store: two copies (A/B) of a CRC-checked record in the last flash sectors before the user
 * defaults (see the linker script). Why it survives power loss at any cycle:
 *   - a save never touches the sector holding the newest valid record: it erases the other one,
 *     programs header + settings, and programs the commit word last, as a separate operation;
 *   - a record counts only when its commit word is present and its CRC matches, so an erase or a
 *     program cut short leaves a record that is ignored, and the other copy (the old settings) wins;
 *   - the newest record is the valid one with the higher sequence number.
 * The user defaults (AT+CFGTF) are one record in a third sector; if power goes while they are being
 * written they are lost and the factory defaults stand in for them (the settings themselves are not
 * touched by AT+CFGTF).
 */
#include "settings_store.h"

#include <stddef.h>
#include <string.h>

#include "../board/flash.h"
#include "../board/tm4c1294.h"

#define STORE_MAGIC    0x5453374Bu /* "K7ST" */
#define STORE_COMMIT   0xC0DE5EA1u
#define STORE_VERSION  1u          /* bump when a field of struct k7_settings changes meaning */

extern const uint32_t _settings_start[]; /* linker script: three sectors, A, B, user defaults */
#define SECTOR_A        ((uint32_t)(uintptr_t)_settings_start)
#define SECTOR_B        (SECTOR_A + FLASH_SECTOR_SIZE)
#define SECTOR_DEFAULTS (SECTOR_B + FLASH_SECTOR_SIZE)

struct record_header {
    uint32_t magic;
    uint16_t version;
    uint16_t length;   /* payload bytes = sizeof(struct k7_settings) */
    uint32_t sequence;
    uint32_t crc;      /* CRC-32 of the header fields above and the payload */
};

/* A record is always 1 KB (8 rows of 128 bytes): a save is then always the same 10 flash operations
 * (erase, 8 rows, commit word), whatever the size of the settings, so the power-cut scenarios that
 * sweep those operations stay exact as the settings grow. */
#define RECORD_BYTES  1024u
#define RECORD_WORDS  (RECORD_BYTES / 4u)
#define PAYLOAD_WORDS (RECORD_WORDS - sizeof(struct record_header) / 4u)
_Static_assert(sizeof(struct k7_settings) <= 4u * PAYLOAD_WORDS, "the settings outgrew the 1 KB record");

struct record_image {
    struct record_header header;
    uint32_t payload[PAYLOAD_WORDS];
};
_Static_assert(sizeof(struct record_image) == 4u * RECORD_WORDS, "record image is whole words");
_Static_assert(4u * (RECORD_WORDS + 1u) <= FLASH_SECTOR_SIZE, "a record and its commit word fit a sector");
_Static_assert(sizeof(struct k7_settings) <= 0xFFFFu, "length field");

/* Built here rather than on the stack: the record is ~1 KB. */
static struct record_image image;

/* CRC-32 (IEEE 802.3, reflected), bit by bit: the record is read once per boot, speed is irrelevant. */
static uint32_t crc32_update(uint32_t crc, const uint8_t *data, size_t len)
{
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= data[i];
        for (int b = 0; b < 8; b++) {
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
        }
    }
    return ~crc;
}

static uint32_t record_crc(const struct record_header *h, const void *payload)
{
    uint32_t crc = crc32_update(0, (const uint8_t *)h, offsetof(struct record_header, crc));
    return crc32_update(crc, (const uint8_t *)payload, h->length);
}

/* The record in the sector at `addr` if it is complete and intact, else NULL. */
static const struct record_image *valid_record(uint32_t addr)
{
    const struct record_image *r = (const struct record_image *)(uintptr_t)addr;
    const uint32_t *commit = (const uint32_t *)(uintptr_t)(addr + sizeof(struct record_image));
    if (r->header.magic != STORE_MAGIC || r->header.version != STORE_VERSION ||
        r->header.length != sizeof(struct k7_settings) || *commit != STORE_COMMIT) {
        return NULL;
    }
    return record_crc(&r->header, r->payload) == r->header.crc ? r : NULL;
}

/* Sequence numbers wrap: a is newer than b when it is less than half the range ahead. */
static bool newer(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b) > 0;
}

static const struct record_image *newest(uint32_t *sector)
{
    const struct record_image *a = valid_record(SECTOR_A);
    const struct record_image *b = valid_record(SECTOR_B);
    if (a && (!b || !newer(b->header.sequence, a->header.sequence))) {
        *sector = SECTOR_A;
        return a;
    }
    *sector = SECTOR_B;
    return b;
}

/* Copy a record's payload into settings, keeping every text field terminated whatever it holds. */
static void load_payload(struct k7_settings *s, const struct record_image *r)
{
    memcpy(s, r->payload, sizeof *s);
    k7_settings_terminate_strings(s);
}

static bool write_record(uint32_t sector, const struct k7_settings *s, uint32_t sequence)
{
    memset(&image, 0xFF, sizeof image);
    memcpy(image.payload, s, sizeof *s);
    image.header.magic = STORE_MAGIC;
    image.header.version = STORE_VERSION;
    image.header.length = (uint16_t)sizeof *s;
    image.header.sequence = sequence;
    image.header.crc = record_crc(&image.header, image.payload);

    static const uint32_t commit = STORE_COMMIT;
    return flash_erase_sector(sector) &&
           flash_program(sector, (const uint32_t *)&image, RECORD_WORDS) &&
           flash_program(sector + sizeof image, &commit, 1) && /* last: the record counts from here */
           valid_record(sector) != NULL;                         /* read back */
}

static bool defaults(struct k7_settings *s)
{
    const struct record_image *user = valid_record(SECTOR_DEFAULTS);
    if (user) {
        load_payload(s, user);
        return true;
    }
    k7_settings_factory(s);
    return false;
}

enum k7_store_source k7_store_load(struct k7_settings *s)
{
    uint32_t sector;
    const struct record_image *r = newest(&sector);
    if (r) {
        load_payload(s, r);
        return K7_STORE_FROM_FLASH;
    }
    /* Nothing saved yet (or never completed): the defaults, in RAM only. The first save writes them. */
    return defaults(s) ? K7_STORE_FROM_USER_DEFAULTS : K7_STORE_FROM_FACTORY;
}

bool k7_store_save(const struct k7_settings *s)
{
    uint32_t sector;
    const struct record_image *r = newest(&sector);
    uint32_t target = SECTOR_A;
    uint32_t sequence = 1;
    if (r) {
        target = sector == SECTOR_A ? SECTOR_B : SECTOR_A;
        sequence = r->header.sequence + 1u;
    }
    return write_record(target, s, sequence);
}

bool k7_store_save_user_defaults(const struct k7_settings *s)
{
    return write_record(SECTOR_DEFAULTS, s, 1);
}

bool k7_store_restore_defaults(struct k7_settings *s)
{
    defaults(s);
    return k7_store_save(s);
}
