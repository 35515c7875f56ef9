// Receiver of the module UART, 16x oversampling (8x with HSE): a start bit is detected at the
// first enable that sees the line low, checked again eb/2 enables later (mid start bit), then every
// bit is sampled at eb-enable intervals from there, up to the first stop bit. Format and HSE are
// taken at detection. A character with every sample low is a break (BE+FE, data 0); after it the
// receiver waits for the line to return high before it looks for a new start bit. An edge may
// stand for several enables (`adv`, the last at this edge when `en`); `hold` tells how many may
// pass before the next one at which the receiver acts (a sample, or the line level it waits for is
// there; 1024 = none), `wait_line` that a change of the line may make it act.
module uart_rx (
    input  logic        clk,
    input  logic        rst,
    input  logic        en,        // baud enable at this edge
    /* verilator lint_off UNUSEDSIGNAL */
    input  logic [10:0] adv,       // enables passed up to this edge (at most a bit: 8 bits used)
    /* verilator lint_on UNUSEDSIGNAL */
    input  logic        line_now,  // the line level until the next edge
    input  logic        rx,        // line level as sampled at this edge
    input  logic        enabled,   // UARTEN & RXE & divisor valid
    input  logic        disable_i, // a CTL write leaves the receiver disabled
    input  logic [7:0]  lcrh,
    input  logic        hse,
    output logic        push,      // a character is complete at this edge
    output logic [10:0] ch,        // {BE, PE, FE, data}
    output logic        idle,
    output logic [10:0] hold,
    output logic        wait_line,
    output logic        sampling,
    output logic        sampling_d
);
  typedef enum logic [1:0] {
    IDLE     = 2'd0,
    SAMPLING = 2'd1,
    WAITMARK = 2'd2
  } state_t;

  state_t state, state_d;
  logic [7:0] cnt, cnt_d;        // enables since the start bit was detected
  logic [7:0] sh, sh_d;          // data bits so far
  logic par, par_d;              // parity sample
  logic [7:0] fmt, fmt_d;        // LCRH at detection
  logic fhse, fhse_d;

  logic [7:0] cnt_inc;
  logic at_sample;
  logic [3:0] idx;               // bit index of this sample (0 = start bit)
  logic [3:0] ndata;
  logic [3:0] stop_idx;
  logic [7:0] data;
  logic exp_par;
  logic all_low;

  always_comb begin
    cnt_inc = cnt + adv[7:0];
    // Samples at eb/2 + eb*i enables after detection.
    at_sample = fhse ? (cnt_inc[2:0] == 3'd4) : (cnt_inc[3:0] == 4'd8);
    idx = fhse ? cnt_inc[6:3] : cnt_inc[7:4];
    ndata = 4'd5 + {2'b00, fmt[6:5]};
    stop_idx = ndata + 4'd1 + {3'b000, fmt[1]};
    // The sampled data, shifted in MSB first then aligned to bit 0.
    unique case (fmt[6:5])
      2'd0: data = {3'b000, sh[7:3]};
      2'd1: data = {2'b00, sh[7:2]};
      2'd2: data = {1'b0, sh[7:1]};
      default: data = sh;
    endcase
    if (fmt[7]) exp_par = ~fmt[2];
    else exp_par = fmt[2] ? (^data) : ~(^data);
    all_low = data == 8'd0 && !par && !rx;

    state_d = state;
    cnt_d = cnt;
    sh_d = sh;
    par_d = par;
    fmt_d = fmt;
    fhse_d = fhse;
    push = 1'b0;
    ch = 11'd0;
    // Disabling stops a wait for the line to return high (a character being sampled finishes).
    if (disable_i && state == WAITMARK) state_d = IDLE;
    if (state == SAMPLING) cnt_d = cnt_inc;
    if (en) begin
      unique case (state)
        IDLE: begin
          if (enabled && !rx) begin
            state_d = SAMPLING;
            cnt_d = 8'd0;
            sh_d = 8'd0;
            par_d = 1'b0;
            fmt_d = lcrh;
            fhse_d = hse;
          end
        end
        SAMPLING: begin
          if (at_sample) begin
            if (idx == 4'd0) begin
              if (rx) state_d = IDLE;  // high again at mid start bit: a glitch
            end else if (idx <= ndata) begin
              sh_d = {rx, sh[7:1]};
            end else if (fmt[1] && idx == ndata + 4'd1) begin
              par_d = rx;
            end else if (idx == stop_idx) begin
              push = 1'b1;
              if (all_low) begin
                ch = 11'b101_0000_0000;
                state_d = WAITMARK;
              end else begin
                ch = {1'b0, fmt[1] && (par != exp_par), !rx, data};
                state_d = IDLE;
              end
            end
          end
        end
        WAITMARK: begin
          if (rx) state_d = IDLE;
        end
        default: state_d = IDLE;
      endcase
    end
  end

  assign idle = state == IDLE;
  assign wait_line = (state == IDLE && enabled) || state == WAITMARK;
  always_comb begin
    unique case (state)
      SAMPLING: hold = fhse ? {7'd0, {1'b0, 3'd3 - cnt[2:0]} + 4'd1} : {6'd0, {1'b0, 4'd7 - cnt[3:0]} + 5'd1};
      IDLE: hold = enabled && !line_now ? 11'd1 : 11'd1024;
      WAITMARK: hold = line_now ? 11'd1 : 11'd1024;
      default: hold = 11'd1;
    endcase
  end
  assign sampling = state == SAMPLING;
  assign sampling_d = state_d == SAMPLING;

  always_ff @(edge clk) begin
    if (rst) begin
      state <= IDLE;
      cnt <= 8'd0;
      sh <= 8'd0;
      par <= 1'b0;
      fmt <= 8'd0;
      fhse <= 1'b0;
    end else begin
      state <= state_d;
      cnt <= cnt_d;
      sh <= sh_d;
      par <= par_d;
      fmt <= fmt_d;
      fhse <= fhse_d;
    end
  end
endmodule
