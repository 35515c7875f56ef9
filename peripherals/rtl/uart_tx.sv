// Transmitter of the module UART: a character starts at a baud enable, each bit lasts `eb`
// enables (16, or 8 with HSE), the next character may start at the enable that ends the last
// stop bit. A break holds the line low from an enable until LCRH.BRK is cleared. An edge may stand
// for several enables of the character's grid (`adv`, the last at this edge when `en`); `hold` tells
// how many enables may pass before the next one at which the transmitter acts (a bit boundary, or
// the enable a waiting character or break starts at; 1024 = none).
module uart_tx (
    input  logic       clk,
    input  logic       rst,
    input  logic       en,         // enable of the grid the character in flight runs on
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [10:0] adv,       // enables of that grid passed up to this edge (at most a bit: 8 bits used)
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic       en_start,   // enable of the current grid (new characters, breaks)
    input  logic       can_start,  // data waiting, transmitter allowed, CTS permits
    input  logic       brk,        // LCRH.BRK
    input  logic       allowed,    // UARTEN & TXE & divisor valid
    input  logic       brk_clear,  // LCRH written with BRK = 0 at this edge
    input  logic [7:0] data,       // head of the TX FIFO
    input  logic [7:0] lcrh,
    input  logic       hse,
    output logic       txd,
    output logic       txd_next,   // the level txd takes at this edge (loopback)
    output logic       start,      // a character starts at this edge (pop the FIFO)
    output logic       done,       // the last stop bit ends at this edge
    output logic       in_char,
    output logic       in_break,
    output logic       active,     // work is due at the next enable
    output logic [10:0] hold,      // enables to the next one that acts
    output logic [7:0] cur_data,
    output logic [7:0] cur_lcrh,
    output logic       cur_hse
);
  typedef enum logic [1:0] {
    IDLE  = 2'd0,
    CHAR  = 2'd1,
    BREAK = 2'd2
  } state_t;

  state_t state, state_d;
  logic [7:0] cnt, cnt_d;           // enables since the start bit began
  logic [11:0] bits, bits_d;        // start, data, parity, stop bits (LSB first on the wire)
  logic [7:0] total, total_d;       // enables in the whole character
  logic txd_d;
  logic [7:0] cur_data_d, cur_lcrh_d;
  logic cur_hse_d;

  // The character about to start, from the FIFO head and the live format.
  logic [3:0] nbits;
  logic [11:0] frame;
  logic [7:0] masked;
  logic par;
  logic [3:0] pos;
  logic [12:0] wire13;
  always_comb begin
    unique case (lcrh[6:5])
      2'd0: masked = {3'b000, data[4:0]};
      2'd1: masked = {2'b00, data[5:0]};
      2'd2: masked = {1'b0, data[6:0]};
      default: masked = data;
    endcase
    if (lcrh[7]) par = ~lcrh[2];  // stick parity: EPS=1 sends 0, EPS=0 sends 1
    else par = lcrh[2] ? (^masked) : ~(^masked);
    pos = 4'd6 + {2'b00, lcrh[6:5]};  // wire position after the data bits
    wire13 = (13'h1FFF << pos) | {4'b0000, masked, 1'b0};
    if (lcrh[1]) wire13 = (wire13 & ~(13'd1 << pos)) | ({12'd0, par} << pos);
    frame = wire13[11:0];
    nbits = 4'd7 + {2'b00, lcrh[6:5]} + {3'b000, lcrh[1]} + {3'b000, lcrh[3]};
  end

  logic [7:0] cnt_inc;
  assign cnt_inc = cnt + adv[7:0];

  always_comb begin
    state_d = state;
    cnt_d = cnt;
    bits_d = bits;
    total_d = total;
    txd_d = txd;
    cur_data_d = cur_data;
    cur_lcrh_d = cur_lcrh;
    cur_hse_d = cur_hse;
    start = 1'b0;
    done = 1'b0;
    if (brk_clear && state == BREAK) begin
      state_d = IDLE;
      txd_d = 1'b1;
    end else begin
      if (state == CHAR) cnt_d = cnt_inc;
      if (en && state == CHAR) begin
        if (cnt_inc == total) begin
          done = 1'b1;
          state_d = IDLE;
          txd_d = 1'b1;
        end else if (cur_hse ? (cnt_inc[2:0] == 3'd0) : (cnt_inc[3:0] == 4'd0)) begin
          txd_d = bits[cur_hse ? cnt_inc[6:3] : cnt_inc[7:4]];
        end
      end
      if (en_start && (state == IDLE || done)) begin
        if (brk && allowed) begin
          state_d = BREAK;
          txd_d = 1'b0;
        end else if (can_start) begin
          start = 1'b1;
          state_d = CHAR;
          cnt_d = 8'd0;
          bits_d = frame;
          total_d = hse ? {1'b0, nbits, 3'b000} : {nbits, 4'b0000};
          txd_d = 1'b0;
          cur_data_d = masked;
          cur_lcrh_d = lcrh;
          cur_hse_d = hse;
        end
      end
    end
  end

  assign txd_next = txd_d;
  assign in_char = state == CHAR;
  assign in_break = state == BREAK;
  assign active = state == CHAR || (state == IDLE && ((brk && allowed) || can_start));
  always_comb begin
    if (state == CHAR) hold = cur_hse ? {7'd0, 4'd8 - {1'b0, cnt[2:0]}} : {6'd0, 5'd16 - {1'b0, cnt[3:0]}};
    else if (active) hold = 11'd1;
    else hold = 11'd1024;
  end

  always_ff @(edge clk) begin
    if (rst) begin
      state <= IDLE;
      cnt <= 8'd0;
      bits <= 12'hFFF;
      total <= 8'd0;
      txd <= 1'b1;
      cur_data <= 8'd0;
      cur_lcrh <= 8'd0;
      cur_hse <= 1'b0;
    end else begin
      state <= state_d;
      cnt <= cnt_d;
      bits <= bits_d;
      total <= total_d;
      txd <= txd_d;
      cur_data <= cur_data_d;
      cur_lcrh <= cur_lcrh_d;
      cur_hse <= cur_hse_d;
    end
  end
endmodule
