// The decision-boundary map: what the network believes about every point of the plane.
//
// The textures hold log p(class | x1, x2) on the session's grid; their texel centres are
// the cell centres where the network was evaluated, so v_uv in [0, 1] addresses the plot's
// [lo, hi]^2 exactly. LINEAR filtering interpolates log p between the evaluations, and a
// softmax turns it back into probabilities: as log p_k = z_k - logsumexp(z) differs from
// the logit z_k by the same amount for every class, that is interpolating the logits.
//
//   colour = sum_k p_k * class_colour_k       the classes mix where the net hesitates
//   sure   = (p_max - 1/K) / (1 - 1/K)        0 for a uniform guess, 1 for certainty
//   shade  = mix(unsure_colour, colour, sure)  doubt fades to grey
//   line   where z_top - z_second ~ 0         the decision boundary, a dark contour

in vec2 v_uv;
out vec4 frag_color;

uniform sampler2D u_probs_low;    // log p(class 0..3)
uniform sampler2D u_probs_high;   // log p(class 4..7), read only when u_num_classes > 4
uniform int u_num_classes;        // 2..8
uniform vec3 u_class_colors[8];   // region colours (already dimmed, so the points stand out)
uniform vec3 u_unsure_color;      // where the net is no better than a uniform guess
uniform vec3 u_line_color;        // the decision boundary
uniform float u_line_pixels;      // width of the boundary line in image pixels

void main()
{
    vec4 low = texture(u_probs_low, v_uv);
    vec4 high = u_num_classes > 4 ? texture(u_probs_high, v_uv) : vec4(0.0);
    float p[8] = float[8](low.x, low.y, low.z, low.w, high.x, high.y, high.z, high.w);

    // The two largest log-probabilities. A diverged network leaves NaN behind: shown as
    // "no opinion" at the end (no early return: fwidth needs every pixel to get there).
    bool missing = false;
    float top_log = -1e30;
    float second_log = -1e30;
    for (int k = 0; k < u_num_classes; ++k)
    {
        missing = missing || isnan(p[k]) || isinf(p[k]);
        if (p[k] > top_log)
        {
            second_log = top_log;
            top_log = p[k];
        }
        else if (p[k] > second_log)
        {
            second_log = p[k];
        }
    }

    // Softmax, shifted by the maximum to stay finite.
    float sum = 0.0;
    for (int k = 0; k < u_num_classes; ++k)
    {
        p[k] = exp(p[k] - top_log);
        sum += p[k];
    }
    vec3 mixed = vec3(0.0);
    for (int k = 0; k < u_num_classes; ++k)
        mixed += (p[k] / sum) * u_class_colors[k];
    float first = 1.0 / sum;  // p of the most likely class: exp(0) / sum

    float uniform_guess = 1.0 / float(u_num_classes);
    float sure = clamp((first - uniform_guess) / (1.0 - uniform_guess), 0.0, 1.0);
    // sqrt: a net that is 80% sure already reads as coloured, only real doubt goes grey.
    vec3 shade = mix(u_unsure_color, mixed, sqrt(sure));

    // Distance to the boundary in pixels ~ margin / (change of the margin per pixel). The
    // margin is taken between logits (log p_top - log p_second = z_top - z_second), which
    // change evenly across the boundary, so the line keeps its width where the net is sharp.
    float margin = top_log - second_log;
    float per_pixel = fwidth(margin);
    float line = 0.0;
    if (per_pixel > 1e-6)
    {
        float distance_pixels = margin / per_pixel;
        line = 1.0 - smoothstep(0.5 * u_line_pixels, 0.5 * u_line_pixels + 1.0, distance_pixels);
    }
    frag_color = missing ? vec4(u_unsure_color * 0.6, 1.0) : vec4(mix(shade, u_line_color, 0.85 * line), 1.0);
}
