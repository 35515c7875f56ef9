// The TM4C1294 module UART (ARM PL011 derivative) as synthesizable RTL, for Verilator.
//
// Clocking: clk is the UART clock, but the simulator does not clock every cycle. Each posedge
// carries `cycles`, the UART-clock cycles since the previous edge, and `tick`, set when the edge is
// a baud enable (Baud16, or Baud8 with HSE). The baud generator keeps the 16-bit integer and 6-bit
// fractional divisor latched by the last LCRH write and reports `cyc_to_tick`, the cycles from
// this edge to the next enable: enable k falls at cycle k*IBRD + floor(k*FBRD/64) after the phase
// reference (the last LCRH write, UARTEN rising, or `phase_rst` for a clock change). Register
// accesses, CTS changes and the like are edges with tick = 0 between enables. While `quiet` is
// high nothing changes at an enable, and one edge with `skip` may load a later generator phase.
module uart_pl011 (
    input  logic        clk,
    input  logic        rst,
    // time base
    input  logic        tick,
    input  logic [31:0] cycles,
    input  logic        phase_rst,
    // the previous grid, kept while a character in flight (or the receive timeout) still runs on it
    input  logic        tick_old,
    input  logic [31:0] cycles_old,
    input  logic        skip,
    input  logic [5:0]  skip_frac,
    input  logic [31:0] skip_cnt,
    // bus (word offsets 0x000..0xFFC); rdata is combinational, side effects at the edge
    input  logic        rd,
    input  logic        wr,
    input  logic [11:0] addr,
    input  logic [15:0] wdata,  // every register is at most 16 bits wide
    output logic [31:0] rdata,
    // pins
    input  logic        rxd,
    input  logic        cts_n,
    output logic        txd,
    output logic        rts_n,
    output logic        irq,
    // simulator side band
    output logic [31:0] cyc_to_tick,
    output logic        baud_valid,
    output logic [15:0] ibrd_o,
    output logic [5:0]  fbrd_o,
    output logic [3:0]  cc_o,
    output logic [7:0]  lcrh_o,
    output logic        hse_o,
    output logic        phase_reset_o,  // the last edge moved the phase reference here
    output logic        old_load_o,     // ... and the previous grid was kept for work in flight
    output logic        old_active,
    output logic [31:0] cyc_to_tick_old,
    output logic        quiet,
    output logic        tx_start_o,     // the last edge started a character
    output logic [7:0]  tx_data_o,
    output logic [7:0]  tx_lcrh_o,
    output logic        tx_hse_o,
    output logic        tx_break_o
);
  // register offsets
  localparam logic [11:0] A_DR = 12'h000, A_RSR = 12'h004, A_FR = 12'h018, A_ILPR = 12'h020;
  localparam logic [11:0] A_IBRD = 12'h024, A_FBRD = 12'h028, A_LCRH = 12'h02C, A_CTL = 12'h030;
  localparam logic [11:0] A_IFLS = 12'h034, A_IM = 12'h038, A_RIS = 12'h03C, A_MIS = 12'h040;
  localparam logic [11:0] A_ICR = 12'h044, A_DMACTL = 12'h048, A_9BADDR = 12'h0A4;
  localparam logic [11:0] A_9BAMASK = 12'h0A8, A_PP = 12'hFC0, A_CC = 12'hFC8;

  localparam int I_CTS = 1, I_RX = 4, I_TX = 5, I_RT = 6, I_FE = 7, I_PE = 8, I_BE = 9, I_OE = 10;
  localparam int I_EOT = 11;

  logic [15:0] ibrd, ibrd_l;
  logic [5:0] fbrd, fbrd_l;
  logic [7:0] lcrh, ilpr;
  logic [15:0] ctl;
  logic [5:0] ifls;
  logic [12:0] im, ris, ris_d;
  logic [3:0] rsr, cc;
  logic [2:0] dmactl;
  logic [15:0] nbaddr;
  logic [7:0] nbamask;
  logic cts_q;  // CTS asserted (pin low)
  logic overrun;
  logic [9:0] rt_cnt;
  logic rt_run;
  logic [5:0] frac;
  logic [31:0] cnt;
  // The previous grid (divisor and phase) and who still runs on it.
  logic [15:0] ibrd_p;
  logic [5:0] fbrd_p, frac_p;
  logic [31:0] cnt_p;
  logic tx_old, rx_old, rt_old;
  logic rt_tick;
  assign rt_tick = rt_old ? tick_old : tick;

  // ---- configuration decode ---------------------------------------------------------------
  logic uarten, lbe, txe, rxe, hse, eot, rtsen, ctsen, fen, brk;
  assign uarten = ctl[0];
  assign eot = ctl[4];
  assign hse = ctl[5];
  assign lbe = ctl[7];
  assign txe = ctl[8];
  assign rxe = ctl[9];
  assign rtsen = ctl[14];
  assign ctsen = ctl[15];
  assign fen = lcrh[4];
  assign brk = lcrh[0];
  assign baud_valid = ibrd_l != 16'd0;

  function automatic logic [4:0] trig(input logic [2:0] sel);
    unique case (sel)
      3'd0: trig = 5'd2;
      3'd1: trig = 5'd4;
      3'd2: trig = 5'd8;
      3'd3: trig = 5'd12;
      default: trig = 5'd14;
    endcase
  endfunction

  logic [4:0] cap, tx_trig, rx_trig;
  assign cap = fen ? 5'd16 : 5'd1;
  assign tx_trig = fen ? trig(ifls[2:0]) : 5'd0;
  assign rx_trig = fen ? trig(ifls[5:3]) : 5'd1;

  logic tx_allowed, rx_enabled;
  assign tx_allowed = uarten && txe && baud_valid;
  assign rx_enabled = uarten && rxe && baud_valid;

  // ---- bus strobes ------------------------------------------------------------------------
  logic w_dr, w_ecr, w_lcrh, w_ctl, w_ifls, w_icr, r_dr;
  assign w_dr = wr && addr == A_DR;
  assign w_ecr = wr && addr == A_RSR;
  assign w_lcrh = wr && addr == A_LCRH;
  assign w_ctl = wr && addr == A_CTL;
  assign w_ifls = wr && addr == A_IFLS;
  assign w_icr = wr && addr == A_ICR;
  assign r_dr = rd && addr == A_DR;

  // ---- FIFOs ------------------------------------------------------------------------------
  logic [7:0] txf_head;
  logic [4:0] txf_count;
  logic txf_push, txf_pop, txf_flush;
  logic [10:0] rxf_head;
  logic [4:0] rxf_count;
  logic rxf_push, rxf_pop;

  // ---- transmitter ------------------------------------------------------------------------
  logic tx_can_start, tx_start, tx_done, tx_in_char, tx_in_break, tx_active, txd_next;
  logic [7:0] tx_cur_data, tx_cur_lcrh;
  logic tx_cur_hse;
  assign tx_can_start = txf_count != 5'd0 && tx_allowed && (!ctsen || cts_q);

  uart_tx u_tx (
      .clk(clk),
      .rst(rst),
      .en(tx_old ? tick_old : tick),
      .en_start(tick),
      .can_start(tx_can_start),
      .brk(brk),
      .allowed(tx_allowed),
      .brk_clear(w_lcrh && !wdata[0]),
      .data(txf_head),
      .lcrh(lcrh),
      .hse(hse),
      .txd(txd),
      .txd_next(txd_next),
      .start(tx_start),
      .done(tx_done),
      .in_char(tx_in_char),
      .in_break(tx_in_break),
      .active(tx_active),
      .cur_data(tx_cur_data),
      .cur_lcrh(tx_cur_lcrh),
      .cur_hse(tx_cur_hse)
  );

  assign txf_push = w_dr && txf_count < cap;
  assign txf_pop = tx_start;
  assign txf_flush = w_lcrh && fen && !wdata[4];

  uart_fifo #(.W(8)) u_txf (
      .clk(clk),
      .rst(rst),
      .flush(txf_flush),
      .push(txf_push),
      .wdata(wdata[7:0]),
      .pop(txf_pop),
      .rdata(txf_head),
      .count(txf_count)
  );

  // ---- receiver ---------------------------------------------------------------------------
  logic rx_line, rx_push, rx_idle, rx_sampling, rx_sampling_d;
  logic [10:0] rx_ch;
  assign rx_line = lbe ? txd_next : rxd;

  uart_rx u_rx (
      .clk(clk),
      .rst(rst),
      .en(rx_old ? tick_old : tick),
      .rx(rx_line),
      .enabled(rx_enabled),
      .lcrh(lcrh),
      .hse(hse),
      .push(rx_push),
      .ch(rx_ch),
      .idle(rx_idle),
      .sampling(rx_sampling),
      .sampling_d(rx_sampling_d)
  );

  assign rxf_push = rx_push && rxf_count < cap;
  assign rxf_pop = r_dr && rxf_count != 5'd0;

  uart_fifo #(.W(11)) u_rxf (
      .clk(clk),
      .rst(rst),
      .flush(1'b0),
      .push(rxf_push),
      .wdata(rx_ch),
      .pop(rxf_pop),
      .rdata(rxf_head),
      .count(rxf_count)
  );

  // ---- read mux ---------------------------------------------------------------------------
  logic [11:0] dr_val;
  assign dr_val = rxf_count == 5'd0 ? 12'd0 : {overrun, rxf_head};

  logic [31:0] fr_val;
  assign fr_val = {24'd0, txf_count == 5'd0, rxf_count >= cap, txf_count >= cap, rxf_count == 5'd0,
                   tx_in_break || tx_in_char || txf_count != 5'd0, 2'b00, cts_q};

  always_comb begin
    unique case (addr)
      A_DR: rdata = {20'd0, dr_val};
      A_RSR: rdata = {28'd0, rsr};
      A_FR: rdata = fr_val;
      A_ILPR: rdata = {24'd0, ilpr};
      A_IBRD: rdata = {16'd0, ibrd};
      A_FBRD: rdata = {26'd0, fbrd};
      A_LCRH: rdata = {24'd0, lcrh};
      A_CTL: rdata = {16'd0, ctl};
      A_IFLS: rdata = {26'd0, ifls};
      A_IM: rdata = {19'd0, im};
      A_RIS: rdata = {19'd0, ris};
      A_MIS: rdata = {19'd0, ris & im};
      A_DMACTL: rdata = {29'd0, dmactl};
      A_9BADDR: rdata = {16'd0, nbaddr};
      A_9BAMASK: rdata = {24'd0, nbamask};
      A_PP: rdata = 32'h3;
      A_CC: rdata = {28'd0, cc};
      12'hFE0: rdata = 32'h60;  // PeriphID0..3
      12'hFE4: rdata = 32'h00;
      12'hFE8: rdata = 32'h18;
      12'hFEC: rdata = 32'h01;
      12'hFF0: rdata = 32'h0D;  // PCellID0..3
      12'hFF4: rdata = 32'hF0;
      12'hFF8: rdata = 32'h05;
      12'hFFC: rdata = 32'hB1;
      default: rdata = 32'd0;  // includes PeriphID4..7 (0xFD0..0xFDC)
    endcase
  end

  // ---- interrupts -------------------------------------------------------------------------
  logic [4:0] txf_after_pop;
  logic [4:0] rx_trig_new;
  logic rt_fire;
  assign txf_after_pop = txf_count - 5'd1;
  assign rt_fire = rt_tick && rt_run && rt_cnt == 10'd511;

  always_comb begin
    // The RX trigger after an IFLS or LCRH write (new FEN / new RX level).
    rx_trig_new = rx_trig;
    if (w_ifls) rx_trig_new = fen ? trig(wdata[5:3]) : 5'd1;
    if (w_lcrh) rx_trig_new = wdata[4] ? trig(ifls[5:3]) : 5'd1;

    ris_d = ris;
    if (w_icr) ris_d = ris_d & ~wdata[12:0];
    if (txf_push) begin
      if (eot || ({1'b0, txf_count} + 6'd1 > {1'b0, tx_trig})) ris_d[I_TX] = 1'b0;
      ris_d[I_EOT] = 1'b0;
    end
    if (tx_done && txf_count == 5'd0) begin
      ris_d[I_EOT] = 1'b1;
      if (eot) ris_d[I_TX] = 1'b1;
    end
    if (tx_start && !eot && txf_count > tx_trig && txf_after_pop <= tx_trig) ris_d[I_TX] = 1'b1;
    if (rx_push) begin
      if (rxf_push) begin
        if (rx_ch[8]) ris_d[I_FE] = 1'b1;
        if (rx_ch[9]) ris_d[I_PE] = 1'b1;
        if (rx_ch[10]) ris_d[I_BE] = 1'b1;
        if (rxf_count + 5'd1 >= rx_trig) ris_d[I_RX] = 1'b1;
      end else begin
        ris_d[I_OE] = 1'b1;
      end
    end
    if (rxf_pop) begin
      if (rxf_count - 5'd1 < rx_trig) ris_d[I_RX] = 1'b0;
      if (rxf_count == 5'd1) ris_d[I_RT] = 1'b0;
    end
    if ((w_ifls || w_lcrh) && rxf_count < rx_trig_new) ris_d[I_RX] = 1'b0;
    if (rt_fire && rxf_count != 5'd0) ris_d[I_RT] = 1'b1;
    if (cts_q != !cts_n) ris_d[I_CTS] = 1'b1;
  end

  assign irq = (ris & im) != 13'd0;
  assign rts_n = rtsen ? !(rxf_count < rx_trig) : !ctl[11];
  assign quiet = !tx_active && rx_idle && !(rx_enabled && !rx_line) && !rt_run;

  // ---- baud generator ---------------------------------------------------------------------
  logic phase_reset;
  logic [6:0] frac_sum;
  assign phase_reset = w_lcrh || (w_ctl && !uarten && wdata[0]) || phase_rst;
  assign frac_sum = {1'b0, frac} + {1'b0, fbrd_l};
  assign cyc_to_tick = cnt;
  assign ibrd_o = ibrd_l;
  assign fbrd_o = fbrd_l;
  assign cc_o = cc;
  assign lcrh_o = lcrh;
  assign hse_o = hse;

  // ---- state ------------------------------------------------------------------------------
  always_ff @(posedge clk) begin
    if (rst) begin
      ibrd <= 16'd0;
      fbrd <= 6'd0;
      ibrd_l <= 16'd0;
      fbrd_l <= 6'd0;
      lcrh <= 8'd0;
      ilpr <= 8'd0;
      ctl <= 16'h0300;
      ifls <= 6'h12;
      im <= 13'd0;
      ris <= 13'd0;
      rsr <= 4'd0;
      cc <= 4'd0;
      dmactl <= 3'd0;
      nbaddr <= 16'd0;
      nbamask <= 8'hFF;
      cts_q <= !cts_n;  // the pin is outside the module: keep following it
      overrun <= 1'b0;
      rt_cnt <= 10'd0;
      rt_run <= 1'b0;
      frac <= 6'd0;
      cnt <= 32'd0;
      phase_reset_o <= 1'b1;
      tx_start_o <= 1'b0;
      old_load_o <= 1'b0;
      ibrd_p <= 16'd0;
      fbrd_p <= 6'd0;
      frac_p <= 6'd0;
      cnt_p <= 32'd0;
      tx_old <= 1'b0;
      rx_old <= 1'b0;
      rt_old <= 1'b0;
    end else begin
      if (wr) begin
        unique case (addr)
          A_ILPR: ilpr <= wdata[7:0];
          A_IBRD: ibrd <= wdata[15:0];
          A_FBRD: fbrd <= wdata[5:0];
          A_LCRH: begin
            lcrh <= wdata[7:0];
            ibrd_l <= ibrd;
            fbrd_l <= fbrd;
          end
          A_CTL: ctl <= wdata[15:0] & 16'hCFBF;
          A_IFLS: ifls <= wdata[5:0];
          A_IM: im <= wdata[12:0];
          A_DMACTL: dmactl <= wdata[2:0];
          A_9BADDR: nbaddr <= wdata[15:0] & 16'h80FF;
          A_9BAMASK: nbamask <= wdata[7:0];
          A_CC: cc <= wdata[3:0];
          default: ;
        endcase
      end
      if (w_ecr) rsr <= 4'd0;
      ris <= ris_d;
      cts_q <= !cts_n;

      // receive data path: overrun flag, status of the character read
      if (rx_push && !rxf_push) overrun <= 1'b1;
      if (rxf_pop) begin
        rsr <= {overrun, rxf_head[10:8]};
        overrun <= 1'b0;
      end

      // receive timeout: 512 enables after the stop-bit sample of the last character stored
      if (rxf_push) begin
        rt_cnt <= 10'd0;
        rt_run <= 1'b1;
      end else if (rxf_pop && rxf_count == 5'd1) begin
        rt_run <= 1'b0;
      end else if (rt_tick && rt_run) begin
        rt_cnt <= rt_cnt + 10'd1;
        if (rt_fire) rt_run <= 1'b0;
      end

      // baud generator
      phase_reset_o <= phase_reset;
      if (phase_reset) begin
        frac <= 6'd0;
        cnt <= 32'd0;
      end else if (skip) begin
        frac <= skip_frac;
        cnt <= skip_cnt;
      end else if (tick) begin
        frac <= frac_sum[5:0];
        cnt <= {16'd0, ibrd_l} + {31'd0, frac_sum[6]};
      end else begin
        cnt <= cnt - cycles;
      end

      tx_start_o <= tx_start;

      // previous grid: work in flight keeps the timing it started with
      old_load_o <= 1'b0;
      if (phase_reset && !old_active && (tx_in_char || rx_sampling || rt_run)) begin
        old_load_o <= 1'b1;
        ibrd_p <= ibrd_l;
        fbrd_p <= fbrd_l;
        frac_p <= frac;
        cnt_p <= cnt - cycles;
        tx_old <= tx_in_char;
        rx_old <= rx_sampling;
        rt_old <= rt_run;
      end else begin
        if (tick_old) begin
          frac_p <= frac_p_sum[5:0];
          cnt_p <= {16'd0, ibrd_p} + {31'd0, frac_p_sum[6]};
        end else begin
          cnt_p <= cnt_p - cycles_old;
        end
        if (tx_old && tx_done) tx_old <= 1'b0;
        if (rx_old && !rx_sampling_d) rx_old <= 1'b0;
        if (rxf_push) rt_old <= rx_old;
        else if (rt_fire || (rxf_pop && rxf_count == 5'd1)) rt_old <= 1'b0;
      end
    end
  end

  logic [6:0] frac_p_sum;
  assign frac_p_sum = {1'b0, frac_p} + {1'b0, fbrd_p};
  assign cyc_to_tick_old = cnt_p;
  assign old_active = tx_old || rx_old || rt_old;

  assign tx_data_o = tx_cur_data;
  assign tx_lcrh_o = tx_cur_lcrh;
  assign tx_hse_o = tx_cur_hse;
  assign tx_break_o = tx_in_break;
endmodule
