// A baud-enable generator: enable k at UART-clock cycle k*IBRD + floor(k*FBRD/64) after its phase
// reference, i.e. floor(k*D/64) with D = 64*IBRD + FBRD. It is told the cycles since the previous
// edge and whether an enable on the last of those cycles may be taken at it (`tick_ok`; an access
// edge leaves it for the edge that follows) or passed silently before it (`past`: the edge comes
// after that cycle's moment, e.g. an edge on another clock's grid). An edge may stand for several enables (`adv`): the ones
// before this edge passed silently (the simulator guarantees nothing but counters acts at them);
// `en` says the last of them is at this edge. It reports the cycles to its next enable and, given
// `hold` (enables to the next one at which something can act, 0 = none), the cycles to that one.
// `load` replaces divisor and phase at once (phase reference, fast-forward, or a copy of another
// generator's state).
module uart_baud (
    input  logic        clk,
    input  logic        rst,
    input  logic        load,
    input  logic [15:0] ld_ibrd,
    input  logic [5:0]  ld_fbrd,
    input  logic [5:0]  ld_frac,
    input  logic [31:0] ld_cnt,
    input  logic        tick_ok,
    input  logic        past,
    input  logic [31:0] cycles,
    input  logic [10:0] hold,
    output logic        en,         // an enable is at this edge
    output logic [10:0] adv,        // enables passed up to this edge (the last one is `en`'s)
    output logic [15:0] ibrd,
    output logic [5:0]  fbrd,
    output logic [5:0]  frac,
    output logic [5:0]  frac_adv,   // state at this edge without the load (for copies)
    output logic [31:0] cnt_adv,
    output logic [5:0]  frac_next,  // state after this edge (for copies)
    output logic [31:0] cnt,        // cycles to the next enable
    output logic [31:0] cnt_next,
    output logic [31:0] cyc_act     // cycles to the enable `hold` enables ahead
);
  logic [21:0] d;
  assign d = {ibrd, fbrd};

  // Enable j (j = 0 the next one) is floor((frac + j*D)/64) cycles after the next one.
  logic reach, at_edge;
  /* verilator lint_off UNUSEDSIGNAL */
  logic [63:0] span, all_n, last_off, adv_off, act_off;  // wide products, low bits used
  /* verilator lint_on UNUSEDSIGNAL */
  always_comb begin
    reach = d != 22'd0 && cycles >= cnt;
    span = {26'd0, cycles - cnt, 6'd0} + 64'd63 - {58'd0, frac};
    all_n = reach ? span / {42'd0, d} + 64'd1 : 64'd0;
    last_off = ({58'd0, frac} + (all_n - 64'd1) * {42'd0, d}) >> 6;
    at_edge = reach && ({32'd0, cnt} + last_off == {32'd0, cycles});
    en = at_edge && tick_ok && !past;
    adv = all_n[10:0] - {10'd0, at_edge && !tick_ok && !past};
    adv_off = ({58'd0, frac} + {53'd0, adv} * {42'd0, d}) >> 6;
    frac_adv = frac + adv[5:0] * fbrd;
    cnt_adv = cnt + adv_off[31:0] - cycles;
    if (load) begin
      frac_next = ld_frac;
      cnt_next = ld_cnt;
    end else begin
      frac_next = frac_adv;
      cnt_next = cnt_adv;
    end
  end

  assign act_off = ({58'd0, frac} + {53'd0, (hold == 11'd0 ? 11'd1024 : hold) - 11'd1} * {42'd0, d}) >> 6;
  assign cyc_act = cnt + act_off[31:0];

  always_ff @(edge clk) begin
    if (rst) begin
      ibrd <= 16'd0;
      fbrd <= 6'd0;
      frac <= 6'd0;
      cnt <= 32'd0;
    end else begin
      if (load) begin
        ibrd <= ld_ibrd;
        fbrd <= ld_fbrd;
      end
      frac <= frac_next;
      cnt <= cnt_next;
    end
  end
endmodule
