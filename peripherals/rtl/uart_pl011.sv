// The TM4C1294 module UART (ARM PL011 derivative) as synthesizable RTL, for Verilator.
//
// Clocking: clk is the UART clock, but the simulator does not clock every cycle. Every change of clk
// (either direction: `always_ff @(edge clk)`, so one eval() per edge instead of two) is one edge; it
// carries `cycles`, the UART-clock cycles since the previous edge, and `tick`, set when a baud enable
// (Baud16, or Baud8 with HSE) falling exactly on this edge is taken at it (an access edge leaves it
// to the edge that follows). An edge may stand for several enables: those before it pass silently
// (only counters move; the simulator only skips enables where nothing else can happen: `cyc_to_act`
// and the slots' are the cycles to the next enable where something can, `rx_wait_line` says a
// change of the RX line may make the receiver act). The baud generator keeps the 16-bit integer and 6-bit
// fractional divisor latched by the last LCRH write and reports `cyc_to_tick`, the cycles from
// this edge to the next enable: enable k falls at cycle k*IBRD + floor(k*FBRD/64) after the phase
// reference (the last LCRH write, UARTEN rising, or `phase_rst` for a clock change). Register
// accesses, CTS changes and the like are edges with tick = 0 between enables. While `quiet` is
// high nothing changes at an enable, and one edge with `skip` may load a later generator phase.
// Work in flight when the phase reference moves keeps its grid: the TX character, the RX character
// and the receive timeout each have a generator slot (tick_tx/rx/rt, cycles_tx/rx/rt) that takes a
// copy of the grid in force and runs until that work ends.
module uart_pl011 (
    input  logic        clk,
    input  logic        rst,
    // time base
    input  logic        tick,
    input  logic [31:0] cycles,
    input  logic        phase_rst,
    // Earlier grids, each kept while work that began on it still runs: the TX character in flight,
    // the RX character being sampled, the receive timeout (which runs on its character's grid).
    input  logic        tick_tx,
    input  logic [31:0] cycles_tx,
    input  logic        tick_rx,
    input  logic [31:0] cycles_rx,
    input  logic        tick_rt,
    input  logic [31:0] cycles_rt,
    input  logic        past,     // the edge comes after its last cycle's moment, per grid
    input  logic        past_tx,
    input  logic        past_rx,
    input  logic        past_rt,
    input  logic        skip,
    input  logic [5:0]  skip_frac,
    input  logic [31:0] skip_cnt,
    // bus (word offsets 0x000..0xFFC); rdata is combinational while rd is high, side effects at the edge
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
    output logic [31:0] cyc_to_act,
    output logic [31:0] cyc_to_act_tx,
    output logic [31:0] cyc_to_act_rx,
    output logic [31:0] cyc_to_act_rt,
    output logic        rx_wait_line,
    output logic        baud_valid,
    output logic [15:0] ibrd_o,
    output logic [5:0]  fbrd_o,
    output logic [3:0]  cc_o,
    output logic [7:0]  lcrh_o,
    output logic        hse_o,
    output logic        phase_reset_o,  // the last edge moved the phase reference here
    output logic        tx_sl,          // the TX character runs on its own earlier grid
    output logic        rx_sl,
    output logic        rt_sl,
    output logic [31:0] cyc_to_tick_tx,
    output logic [31:0] cyc_to_tick_rx,
    output logic [31:0] cyc_to_tick_rt,
    output logic        load_tx_o,      // the last edge copied the grid in force to that slot
    output logic        load_rx_o,
    output logic        load_rt_o,
    output logic        rt_from_rx_o,   // the last edge copied the RX slot's grid to the RT slot
    output logic        quiet,
    output logic        tx_start_o,     // the last edge started a character
    output logic [7:0]  tx_data_o,
    output logic [7:0]  tx_lcrh_o,
    output logic        tx_hse_o,
    output logic        tx_break_o,
    // The receiver's result at the last edge, for observers (error counts in reports): a
    // character completed ({BE, PE, FE, data}), and whether it was lost to a full RX FIFO.
    output logic        rx_done_o,
    output logic [10:0] rx_ch_o,
    output logic        rx_lost_o
);
  // register offsets
  localparam logic [11:0] A_DR = 12'h000, A_RSR = 12'h004, A_FR = 12'h018, A_ILPR = 12'h020;
  localparam logic [11:0] A_IBRD = 12'h024, A_FBRD = 12'h028, A_LCRH = 12'h02C, A_CTL = 12'h030;
  localparam logic [11:0] A_IFLS = 12'h034, A_IM = 12'h038, A_RIS = 12'h03C, A_MIS = 12'h040;
  localparam logic [11:0] A_ICR = 12'h044, A_DMACTL = 12'h048, A_9BADDR = 12'h0A4;
  localparam logic [11:0] A_9BAMASK = 12'h0A8, A_PP = 12'hFC0, A_CC = 12'hFC8;

  localparam int I_CTS = 1, I_RX = 4, I_TX = 5, I_RT = 6, I_FE = 7, I_PE = 8, I_BE = 9, I_OE = 10;
  localparam int I_EOT = 11;

  logic [15:0] ibrd;
  logic [31:0] cnt;
  logic [5:0] fbrd;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [5:0] g_frac_cur;
  /* verilator lint_on UNUSEDSIGNAL */
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
  // Enables at this edge and passed up to it, per grid: in force (g), and the three slots.
  logic g_en, tx_en, rx_en, rt_en;
  logic [10:0] g_adv, tx_adv, rx_adv, rt_adv;
  logic rt_tick;
  logic [10:0] rt_n;
  assign rt_tick = rt_sl ? rt_en : g_en;
  assign rt_n = rt_sl ? rt_adv : g_adv;

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
  assign baud_valid = g_ibrd != 16'd0;

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
  logic [10:0] tx_hold, rx_hold;
  logic tx_can_start, tx_start, tx_done, tx_in_char, tx_in_break, tx_active, txd_next;
  logic [7:0] tx_cur_data, tx_cur_lcrh;
  logic tx_cur_hse;
  assign tx_can_start = txf_count != 5'd0 && tx_allowed && (!ctsen || cts_q);

  uart_tx u_tx (
      .clk(clk),
      .rst(rst),
      .en(tx_sl ? tx_en : g_en),
      .adv(tx_sl ? tx_adv : g_adv),
      .en_start(g_en),
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
      .hold(tx_hold),
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
      .en(rx_sl ? rx_en : g_en),
      .adv(rx_sl ? rx_adv : g_adv),
      .line_now(lbe ? txd : rxd),
      .rx(rx_line),
      .enabled(rx_enabled),
      .disable_i(w_ctl && !(wdata[0] && wdata[9] && baud_valid)),
      .lcrh(lcrh),
      .hse(hse),
      .push(rx_push),
      .ch(rx_ch),
      .idle(rx_idle),
      .hold(rx_hold),
      .wait_line(rx_wait_line),
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

  // BUSY: a character or a break on the wire, data waiting, or a break about to begin at the next
  // enable (the shifter already belongs to it).
  logic tx_busy;
  assign tx_busy = tx_in_break || tx_in_char || txf_count != 5'd0 || (brk && tx_allowed);

  logic [31:0] fr_val;
  assign fr_val = {24'd0, txf_count == 5'd0, rxf_count >= cap, txf_count >= cap, rxf_count == 5'd0,
                   tx_busy, 2'b00, cts_q};

  // rdata is only driven while rd is high: the mux is then not evaluated at every baud enable.
  // A read without side effects raises rd with no clock edge (the pops happen at an edge only).
  always_comb begin
    rdata = 32'd0;
    if (rd) unique case (addr)
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
  assign rt_fire = rt_tick && rt_run && {1'b0, rt_cnt} + rt_n == 11'd512;

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
  assign phase_reset = w_lcrh || (w_ctl && !uarten && wdata[0]) || phase_rst;
  assign cyc_to_tick = cnt;
  assign ibrd_o = g_ibrd;
  assign fbrd_o = g_fbrd;
  assign cc_o = cc;
  assign lcrh_o = lcrh;
  assign hse_o = hse;

  // ---- state ------------------------------------------------------------------------------
  always_ff @(edge clk) begin
    if (rst) begin
      ibrd <= 16'd0;
      fbrd <= 6'd0;
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
      phase_reset_o <= 1'b1;
      tx_start_o <= 1'b0;
      rx_done_o <= 1'b0;
      rx_ch_o <= 11'd0;
      rx_lost_o <= 1'b0;
      load_tx_o <= 1'b0;
      load_rx_o <= 1'b0;
      load_rt_o <= 1'b0;
      rt_from_rx_o <= 1'b0;
      tx_sl <= 1'b0;
      rx_sl <= 1'b0;
      rt_sl <= 1'b0;
    end else begin
      if (wr) begin
        unique case (addr)
          A_ILPR: ilpr <= wdata[7:0];
          A_IBRD: ibrd <= wdata[15:0];
          A_FBRD: fbrd <= wdata[5:0];
          A_LCRH: lcrh <= wdata[7:0];
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
      end else if (rt_run) begin
        rt_cnt <= rt_cnt + rt_n[9:0];
        if (rt_fire) rt_run <= 1'b0;
      end

      tx_start_o <= tx_start;
      phase_reset_o <= phase_reset;
      rx_done_o <= rx_push;
      rx_lost_o <= rx_push && !rxf_push;
      if (rx_push) rx_ch_o <= rx_ch;

      // Work in flight keeps the grid it started on: copy the grid in force to its slot.
      load_tx_o <= 1'b0;
      load_rx_o <= 1'b0;
      load_rt_o <= 1'b0;
      rt_from_rx_o <= 1'b0;
      if (ld_tx) begin
        tx_sl <= 1'b1;
        load_tx_o <= 1'b1;
      end else if (tx_sl && tx_done) begin
        tx_sl <= 1'b0;
      end
      if (ld_rx) begin
        rx_sl <= 1'b1;
        load_rx_o <= 1'b1;
      end else if (rx_sl && !rx_sampling_d) begin
        rx_sl <= 1'b0;
      end
      if (ld_rt) begin
        rt_sl <= 1'b1;
        load_rt_o <= 1'b1;
      end else if (rxf_push) begin
        rt_sl <= rx_sl;
        rt_from_rx_o <= rx_sl;
      end else if (rt_fire || (rxf_pop && rxf_count == 5'd1)) begin
        rt_sl <= 1'b0;
      end
    end
  end

  logic ld_tx, ld_rx, ld_rt;
  assign ld_tx = phase_reset && tx_in_char && !tx_sl;
  assign ld_rx = phase_reset && rx_sampling && !rx_sl;
  assign ld_rt = phase_reset && rt_run && !rt_sl;

  // The grid in force, and the three slots. Not every copy uses every output of its generator.
  /* verilator lint_off UNUSEDSIGNAL */
  logic [15:0] g_ibrd, tx_ibrd, rx_ibrd, rt_ibrd;
  logic [5:0] g_fbrd, tx_fbrd, rx_fbrd, rt_fbrd;
  logic [5:0] g_frac_n, tx_frac_n, rx_frac_n, rt_frac_n;
  logic [5:0] tx_frac, rx_frac, rt_frac;
  logic [5:0] tx_frac_a, rx_frac_a, rt_frac_a;
  logic [31:0] tx_cnt_a, rx_cnt_a, rt_cnt_a;
  logic [31:0] g_cnt_n, tx_cnt_n, rx_cnt_n, rt_cnt_n;
  /* verilator lint_on UNUSEDSIGNAL */
  logic [31:0] g_now;  // the grid in force at this edge, before any enable at it
  logic [5:0] g_frac_now;
  // Enables to the next one at which something acts, per grid (1024: none).
  logic [10:0] g_hold, tx_s_hold, rx_s_hold, rt_s_hold, rt_hold;
  function automatic logic [10:0] min11(input logic [10:0] a, input logic [10:0] b);
    min11 = a < b ? a : b;
  endfunction
  assign rt_hold = rt_run ? 11'd512 - {1'b0, rt_cnt} : 11'd1024;
  assign g_hold = min11(min11(tx_sl ? 11'd1024 : tx_hold, rx_sl ? 11'd1024 : rx_hold), rt_sl ? 11'd1024 : rt_hold);
  assign tx_s_hold = tx_sl ? tx_hold : 11'd1024;
  assign rx_s_hold = rx_sl ? rx_hold : 11'd1024;
  assign rt_s_hold = rt_sl ? rt_hold : 11'd1024;

  uart_baud u_baud (
      .clk(clk), .rst(rst),
      .load(phase_reset || skip),
      .ld_ibrd(w_lcrh ? ibrd : g_ibrd),
      .ld_fbrd(w_lcrh ? fbrd : g_fbrd),
      .ld_frac(phase_reset ? 6'd0 : skip_frac),
      .ld_cnt(phase_reset ? 32'd0 : skip_cnt),
      .tick_ok(tick), .past(past), .cycles(cycles), .hold(g_hold), .en(g_en), .adv(g_adv),
      .ibrd(g_ibrd), .fbrd(g_fbrd), .frac(g_frac_cur), .frac_adv(g_frac_now), .cnt_adv(g_now),
      .frac_next(g_frac_n), .cnt(cnt), .cnt_next(g_cnt_n), .cyc_act(cyc_to_act)
  );
  uart_baud u_baud_tx (
      .clk(clk), .rst(rst),
      .load(ld_tx), .ld_ibrd(g_ibrd), .ld_fbrd(g_fbrd), .ld_frac(g_frac_now), .ld_cnt(g_now),
      .tick_ok(tick_tx), .past(past_tx), .cycles(cycles_tx), .hold(tx_s_hold), .en(tx_en), .adv(tx_adv),
      .ibrd(tx_ibrd), .fbrd(tx_fbrd), .frac(tx_frac), .frac_adv(tx_frac_a), .cnt_adv(tx_cnt_a),
      .frac_next(tx_frac_n), .cnt(cyc_to_tick_tx), .cnt_next(tx_cnt_n), .cyc_act(cyc_to_act_tx)
  );
  uart_baud u_baud_rx (
      .clk(clk), .rst(rst),
      .load(ld_rx), .ld_ibrd(g_ibrd), .ld_fbrd(g_fbrd), .ld_frac(g_frac_now), .ld_cnt(g_now),
      .tick_ok(tick_rx), .past(past_rx), .cycles(cycles_rx), .hold(rx_s_hold), .en(rx_en), .adv(rx_adv),
      .ibrd(rx_ibrd), .fbrd(rx_fbrd), .frac(rx_frac), .frac_adv(rx_frac_a), .cnt_adv(rx_cnt_a),
      .frac_next(rx_frac_n), .cnt(cyc_to_tick_rx), .cnt_next(rx_cnt_n), .cyc_act(cyc_to_act_rx)
  );
  uart_baud u_baud_rt (
      .clk(clk), .rst(rst),
      .load(ld_rt || (rxf_push && rx_sl)),
      .ld_ibrd(ld_rt ? g_ibrd : rx_ibrd),
      .ld_fbrd(ld_rt ? g_fbrd : rx_fbrd),
      .ld_frac(ld_rt ? g_frac_now : rx_frac_n),
      .ld_cnt(ld_rt ? g_now : rx_cnt_n),
      .tick_ok(tick_rt), .past(past_rt), .cycles(cycles_rt), .hold(rt_s_hold), .en(rt_en), .adv(rt_adv),
      .ibrd(rt_ibrd), .fbrd(rt_fbrd), .frac(rt_frac), .frac_adv(rt_frac_a), .cnt_adv(rt_cnt_a),
      .frac_next(rt_frac_n), .cnt(cyc_to_tick_rt), .cnt_next(rt_cnt_n), .cyc_act(cyc_to_act_rt)
  );

  assign tx_data_o = tx_cur_data;
  assign tx_lcrh_o = tx_cur_lcrh;
  assign tx_hse_o = tx_cur_hse;
  assign tx_break_o = tx_in_break;
endmodule
